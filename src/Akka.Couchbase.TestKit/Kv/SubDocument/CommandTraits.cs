using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>What a spec works on: a path in JSON, the whole body, or an xattr copied into the body.</summary>
internal enum CommandScope
{
    SubJson,
    WholeDoc,
    AttributesAndBody,
}

/// <summary>
/// What each sub-document command accepts and answers (kv_engine <c>daemon/subdocument_traits.h</c>): valid and
/// mandatory path flags, valid doc flags, whether it takes a value or an empty path, answers a value, mutates.
/// </summary>
internal sealed record CommandTraits(
    Opcode Opcode,
    SubJsonCommand Command,
    CommandScope Scope,
    PathFlags ValidFlags,
    PathFlags MandatoryFlags,
    DocFlags ValidDocFlags,
    bool HasValue,
    bool AllowEmptyPath,
    bool ResponseHasValue,
    bool IsMutator)
{
    private const DocFlags Lookup = DocFlags.AccessDeleted | DocFlags.ReviveDocument | DocFlags.ReplicaRead;
    private const DocFlags Create = DocFlags.Mkdoc | DocFlags.AccessDeleted | DocFlags.ReviveDocument | DocFlags.Add | DocFlags.CreateAsDeleted;
    private const PathFlags Store = PathFlags.MkdirP | PathFlags.Xattr | PathFlags.ExpandMacros | PathFlags.BinaryValue;

    private static readonly Dictionary<Opcode, CommandTraits> Table = new CommandTraits[]
    {
        new(Opcode.Get, SubJsonCommand.None, CommandScope.WholeDoc, PathFlags.None, PathFlags.None, Lookup, false, true, true, false),
        new(Opcode.Set, SubJsonCommand.None, CommandScope.WholeDoc, PathFlags.None, PathFlags.None, DocFlags.Mkdoc | DocFlags.Add, true, true, false, true),
        new(Opcode.Delete, SubJsonCommand.None, CommandScope.WholeDoc, PathFlags.None, PathFlags.None, DocFlags.AccessDeleted | DocFlags.ReviveDocument, false, true, false, true),
        new(SubDocOpcode.Get, SubJsonCommand.Get, CommandScope.SubJson, PathFlags.Xattr | PathFlags.BinaryValue, PathFlags.None, Lookup, false, false, true, false),
        new(SubDocOpcode.Exists, SubJsonCommand.Exists, CommandScope.SubJson, PathFlags.Xattr, PathFlags.None, Lookup, false, false, false, false),
        new(SubDocOpcode.DictAdd, SubJsonCommand.DictAdd, CommandScope.SubJson, Store, PathFlags.None, Create, true, false, false, true),
        new(SubDocOpcode.DictUpsert, SubJsonCommand.DictUpsert, CommandScope.SubJson, Store, PathFlags.None, Create, true, false, false, true),
        new(SubDocOpcode.Delete, SubJsonCommand.Remove, CommandScope.SubJson, PathFlags.Xattr, PathFlags.None, DocFlags.AccessDeleted | DocFlags.ReviveDocument, false, false, false, true),
        new(SubDocOpcode.Replace, SubJsonCommand.Replace, CommandScope.SubJson, PathFlags.Xattr | PathFlags.ExpandMacros | PathFlags.BinaryValue, PathFlags.None,
            DocFlags.AccessDeleted | DocFlags.ReviveDocument | DocFlags.Add, true, false, false, true),
        new(SubDocOpcode.ArrayPushLast, SubJsonCommand.ArrayPushLast, CommandScope.SubJson, PathFlags.MkdirP | PathFlags.Xattr | PathFlags.ExpandMacros, PathFlags.None, Create, true, true, false, true),
        new(SubDocOpcode.ArrayPushFirst, SubJsonCommand.ArrayPushFirst, CommandScope.SubJson, PathFlags.MkdirP | PathFlags.Xattr | PathFlags.ExpandMacros, PathFlags.None, Create, true, true, false, true),
        new(SubDocOpcode.ArrayInsert, SubJsonCommand.ArrayInsert, CommandScope.SubJson, PathFlags.Xattr | PathFlags.ExpandMacros, PathFlags.None,
            DocFlags.AccessDeleted | DocFlags.ReviveDocument | DocFlags.Add | DocFlags.CreateAsDeleted, true, false, false, true),
        new(SubDocOpcode.ArrayAddUnique, SubJsonCommand.ArrayAddUnique, CommandScope.SubJson, PathFlags.MkdirP | PathFlags.Xattr, PathFlags.None, Create, true, true, false, true),
        new(SubDocOpcode.Counter, SubJsonCommand.Counter, CommandScope.SubJson, PathFlags.MkdirP | PathFlags.Xattr, PathFlags.None, Create, true, false, true, true),
        new(SubDocOpcode.GetCount, SubJsonCommand.GetCount, CommandScope.SubJson, PathFlags.Xattr, PathFlags.None, Lookup, false, true, true, false),
        new(SubDocOpcode.ReplaceBodyWithXattr, SubJsonCommand.Get, CommandScope.AttributesAndBody, PathFlags.Xattr | PathFlags.BinaryValue, PathFlags.Xattr,
            DocFlags.AccessDeleted | DocFlags.ReviveDocument, false, false, false, true),
    }.ToDictionary(t => t.Opcode);

    /// <summary>The traits of <paramref name="op"/>, or null when it is no sub-document command (nor a whole-document one).</summary>
    public static CommandTraits? Of(Opcode op) => Table.GetValueOrDefault(op);
}
