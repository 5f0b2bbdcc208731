using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// A sub-document request read from its frame and checked as the server's validators check it
/// (<c>daemon/subdocument_validators.cc</c>) before the document is looked at: extras layout, path length, flags
/// each command allows, doc flag combinations, xattr keys, macros, the order of xattr and body specs, at most
/// <see cref="MaxSpecs"/> specs.
/// </summary>
internal sealed class SubDocRequest
{
    /// <summary>Longest path in bytes (SUBDOC_PATH_MAX_LENGTH).</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Most specs in one multi-path request (subdoc_multi_max_paths).</summary>
    public const int MaxSpecs = 16;

    private SubDocRequest(bool multi, bool mutator, List<SubDocSpec> specs, DocFlags docFlags, uint expiry, uint? userFlags, bool preserveTtl)
    {
        Multi = multi;
        IsMutator = mutator;
        Specs = specs;
        DocFlags = docFlags;
        Expiry = expiry;
        UserFlags = userFlags;
        PreserveTtl = preserveTtl;
    }

    public bool Multi { get; }
    public bool IsMutator { get; }
    public List<SubDocSpec> Specs { get; }
    public DocFlags DocFlags { get; }
    /// <summary>Expiry from the extras (0 when absent: a mutation without one clears the document's).</summary>
    public uint Expiry { get; }
    /// <summary>User flags from the extras, or null to keep the document's.</summary>
    public uint? UserFlags { get; }
    /// <summary>The PreserveTtl frame info (id 5) was present.</summary>
    public bool PreserveTtl { get; }

    public bool AccessDeleted => (DocFlags & DocFlags.AccessDeleted) != 0;
    public bool Revive => (DocFlags & DocFlags.ReviveDocument) != 0;
    public bool CreateAsDeleted => (DocFlags & DocFlags.CreateAsDeleted) != 0;
    public bool ImpliesMkdirP => (DocFlags & (DocFlags.Mkdoc | DocFlags.Add)) != 0;

    public MutationSemantics Semantics =>
        (DocFlags & DocFlags.Add) != 0 ? MutationSemantics.Add
        : (DocFlags & DocFlags.Mkdoc) != 0 ? MutationSemantics.Set
        : MutationSemantics.Replace;

    /// <summary>Whether the frame is a lookup that asks for a replica (its vBucket is then served by a replica node).</summary>
    public static bool IsReplicaRead(Frame f)
    {
        var op = f.Opcode;
        if (op == SubDocOpcode.MultiLookup) return f.ExtrasLength == 1 && (f.Extras[0] & (byte)DocFlags.ReplicaRead) != 0;
        if (op is SubDocOpcode.Get or SubDocOpcode.Exists or SubDocOpcode.GetCount)
            return f.ExtrasLength == 4 && (f.Extras[3] & (byte)DocFlags.ReplicaRead) != 0;
        return false;
    }

    /// <summary>
    /// Reads and checks <paramref name="f"/>; anything but Success is the status to answer with (no body).
    /// <paramref name="xattrEnabled"/>: the connection negotiated XATTR and the bucket keeps xattrs.
    /// </summary>
    public static KvStatus Parse(Frame f, bool xattrEnabled, out SubDocRequest? request)
    {
        request = null;
        var preserveTtl = false;
        var frameInfo = FramingInfo(f.FramingExtras, ref preserveTtl);
        if (frameInfo != KvStatus.Success) return frameInfo;
        return f.Opcode is SubDocOpcode.MultiLookup or SubDocOpcode.MultiMutation
            ? ParseMulti(f, xattrEnabled, preserveTtl, out request)
            : ParseSingle(f, xattrEnabled, preserveTtl, out request);
    }

    private static KvStatus ParseSingle(Frame f, bool xattrEnabled, bool preserveTtl, out SubDocRequest? request)
    {
        request = null;
        var traits = CommandTraits.Of(f.Opcode);
        if (traits is null || traits.Scope == CommandScope.WholeDoc) return KvStatus.UnknownCommand;
        var extras = f.Extras;
        if (extras.Length is not (3 or 4 or 7 or 8 or 11 or 12)) return KvStatus.InvalidArguments;
        var pathLength = BinaryPrimitives.ReadUInt16BigEndian(extras);
        var flags = (PathFlags)extras[2];
        var docFlags = extras.Length is 4 or 8 or 12 ? (DocFlags)extras[^1] : DocFlags.None;
        if (((byte)docFlags & 0xc0) != 0) return KvStatus.InvalidArguments;
        var expiry = extras.Length is 7 or 8 or 11 or 12 ? BinaryPrimitives.ReadUInt32BigEndian(extras.Slice(3)) : 0u;
        uint? userFlags = extras.Length is 11 or 12 ? BinaryPrimitives.ReadUInt32BigEndian(extras.Slice(7)) : null;
        if (pathLength > MaxPathLength || pathLength > f.ValueLength) return KvStatus.InvalidArguments;
        var path = Encoding.UTF8.GetString(f.Value.Slice(0, pathLength));
        var value = f.Value.Slice(pathLength).ToArray();
        if (traits.HasValue != (value.Length > 0)) return KvStatus.InvalidArguments;
        if ((flags & ~traits.ValidFlags) != 0 || (flags & traits.MandatoryFlags) != traits.MandatoryFlags) return KvStatus.InvalidArguments;
        if ((docFlags & ~traits.ValidDocFlags) != 0) return KvStatus.InvalidArguments;
        if ((docFlags & DocFlags.CreateAsDeleted) != 0
            && ((docFlags & (DocFlags.Add | DocFlags.Mkdoc)) == 0 || (flags & PathFlags.Xattr) == 0))
            return KvStatus.InvalidArguments;
        var common = DocFlagRules(docFlags, f.Cas, multi: false);
        if (common != KvStatus.Success) return common;
        var xattr = XattrRules(traits.IsMutator, flags, path, value, xattrEnabled);
        if (xattr != KvStatus.Success) return xattr;
        if (!traits.AllowEmptyPath && pathLength == 0) return KvStatus.InvalidArguments;
        if (!traits.IsMutator && extras.Length is not (3 or 4)) return KvStatus.InvalidArguments;
        request = new SubDocRequest(false, traits.IsMutator, new List<SubDocSpec> { new(traits, flags, path, value) },
            docFlags, expiry, userFlags, preserveTtl);
        return KvStatus.Success;
    }

    private static KvStatus ParseMulti(Frame f, bool xattrEnabled, bool preserveTtl, out SubDocRequest? request)
    {
        request = null;
        var mutator = f.Opcode == SubDocOpcode.MultiMutation;
        var extras = f.Extras;
        if (extras.Length is not (0 or 1 or 4 or 5 or 8 or 9)) return KvStatus.InvalidArguments;
        if (!mutator && extras.Length is not (0 or 1)) return KvStatus.InvalidArguments;
        var docFlags = extras.Length is 1 or 5 or 9 ? (DocFlags)extras[^1] : DocFlags.None;
        if (((byte)docFlags & 0xc0) != 0) return KvStatus.InvalidArguments;
        var expiry = extras.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(extras) : 0u;
        uint? userFlags = extras.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(extras.Slice(4)) : null;
        var common = DocFlagRules(docFlags, f.Cas, multi: true);
        if (common != KvStatus.Success) return common;

        var body = f.Value;
        var specs = new List<SubDocSpec>();
        var offset = 0;
        var xattrsAllowed = true;
        var bodyCommandsAllowed = true;
        while (specs.Count < MaxSpecs && offset < body.Length)
        {
            if (!bodyCommandsAllowed) return SubDocStatus.InvalidCombo;
            var header = mutator ? 8 : 4;
            if (offset + header > body.Length) return KvStatus.InvalidArguments;
            var op = (Opcode)body[offset];
            var flags = (PathFlags)body[offset + 1];
            var pathLength = BinaryPrimitives.ReadUInt16BigEndian(body.Slice(offset + 2));
            var valueLength = mutator ? (long)BinaryPrimitives.ReadUInt32BigEndian(body.Slice(offset + 4)) : 0;
            if (offset + header + pathLength + valueLength > body.Length) return KvStatus.InvalidArguments;
            var traits = CommandTraits.Of(op);
            if (traits is null || op is SubDocOpcode.ReplaceBodyWithXattr && !mutator) return SubDocStatus.InvalidCombo;
            if (traits.IsMutator != mutator) return SubDocStatus.InvalidCombo;
            if ((flags & ~traits.ValidFlags) != 0 || (flags & traits.MandatoryFlags) != traits.MandatoryFlags) return KvStatus.InvalidArguments;
            if ((docFlags & ~traits.ValidDocFlags) != 0) return KvStatus.InvalidArguments;
            if (pathLength > MaxPathLength) return KvStatus.InvalidArguments;
            if (traits.Scope == CommandScope.WholeDoc && pathLength > 0) return KvStatus.InvalidArguments;
            var path = Encoding.UTF8.GetString(body.Slice(offset + header, pathLength));
            var value = body.Slice(offset + header + pathLength, (int)valueLength).ToArray();
            var xattr = XattrRules(mutator, flags, path, value, xattrEnabled);
            if (xattr != KvStatus.Success) return xattr;
            var isXattr = (flags & PathFlags.Xattr) != 0;
            if (!isXattr && !traits.AllowEmptyPath && pathLength == 0) return KvStatus.InvalidArguments;
            if (traits.HasValue != (valueLength > 0)) return KvStatus.InvalidArguments;
            var alone = traits.Opcode == Opcode.Delete; // a whole-document delete must be the last body spec
            if (xattrsAllowed) xattrsAllowed = isXattr;
            else if (isXattr) return SubDocStatus.InvalidXattrOrder;
            else if (alone) return SubDocStatus.InvalidCombo;
            if (alone) bodyCommandsAllowed = false;
            specs.Add(new SubDocSpec(traits, flags, path, value));
            offset += header + pathLength + (int)valueLength;
        }
        if (specs.Count == 0 || offset != body.Length) return SubDocStatus.InvalidCombo;
        request = new SubDocRequest(true, mutator, specs, docFlags, expiry, userFlags, preserveTtl);
        return KvStatus.Success;
    }

    private static KvStatus DocFlagRules(DocFlags docFlags, ulong cas, bool multi)
    {
        if ((docFlags & DocFlags.Add) != 0 && cas != 0) return KvStatus.InvalidArguments;
        if ((docFlags & (DocFlags.Add | DocFlags.Mkdoc)) == (DocFlags.Add | DocFlags.Mkdoc)) return KvStatus.InvalidArguments;
        if (multi && (docFlags & DocFlags.ReviveDocument) != 0
            && ((docFlags & DocFlags.AccessDeleted) == 0 || (docFlags & DocFlags.CreateAsDeleted) != 0))
            return KvStatus.InvalidArguments;
        return KvStatus.Success;
    }

    /// <summary>validate_xattr_section: flag combinations, XATTR negotiated, the key, virtual xattrs read-only, macros.</summary>
    private static KvStatus XattrRules(bool mutator, PathFlags flags, string path, byte[] value, bool xattrEnabled)
    {
        var macros = (flags & PathFlags.ExpandMacros) != 0;
        var binary = (flags & PathFlags.BinaryValue) != 0;
        if ((flags & PathFlags.Xattr) == 0)
            return macros || binary ? SubDocStatus.XattrInvalidFlagCombo : KvStatus.Success;
        if (binary && macros) return SubDocStatus.XattrInvalidFlagCombo;
        if (!xattrEnabled) return KvStatus.NotSupported;
        if (XattrKey.Of(path) is null) return KvStatus.XattrInvalid;
        if (XattrKey.IsVirtual(path) && mutator) return SubDocStatus.XattrCantModifyVattr;
        return macros && !Macros.IsKnown(Encoding.UTF8.GetString(value)) ? SubDocStatus.XattrUnknownMacro : KvStatus.Success;
    }

    /// <summary>The frame infos of an alternative-magic request: PreserveTtl (id 5, no value) is the one read here.</summary>
    private static KvStatus FramingInfo(ReadOnlySpan<byte> info, ref bool preserveTtl)
    {
        while (!info.IsEmpty)
        {
            int id = info[0] >> 4, length = info[0] & 0x0f, at = 1;
            if (id == 15) { if (info.Length < 2) return KvStatus.InvalidArguments; id = 15 + info[at++]; }
            if (length == 15) { if (info.Length < at + 1) return KvStatus.InvalidArguments; length = 15 + info[at++]; }
            if (info.Length < at + length) return KvStatus.InvalidArguments;
            if (id == 5)
            {
                if (length != 0) return KvStatus.InvalidArguments;
                preserveTtl = true;
            }
            info = info.Slice(at + length);
        }
        return KvStatus.Success;
    }
}
