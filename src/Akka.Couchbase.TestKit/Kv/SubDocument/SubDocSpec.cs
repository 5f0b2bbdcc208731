namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>One operation of a sub-document request: its command's traits, path flags, path and value.</summary>
internal sealed record SubDocSpec(CommandTraits Traits, PathFlags Flags, string Path, byte[] Value)
{
    public bool IsXattr => (Flags & PathFlags.Xattr) != 0;

    public bool ExpandsMacros => (Flags & PathFlags.ExpandMacros) != 0;

    public bool IsBinary => (Flags & PathFlags.BinaryValue) != 0;
}
