using System.Globalization;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Protocol.SubDocument;
using Akka.Couchbase.Transcoding;
using Newtonsoft.Json;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Lookup-in and mutate-in: every spec is checked (1 to 16 specs, paths, values) and the whole multi-path body is
/// encoded once, in wire order (<see cref="SubDocumentOrder"/>), into the request's value. A bad spec is refused
/// with a <see cref="KvInvalidArgumentException"/> naming its index in the command.
/// </summary>
internal sealed partial class RequestFactory
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static void DescribeLookupIn(Kv.LookupIn lookup, KvRequest request)
    {
        var specs = CheckSpecCount(lookup.Specs, "LookupIn", lookup.Key);
        var order = SubDocumentOrder.Of(specs);
        var wire = new WireSpec[specs.Count];
        for (var w = 0; w < wire.Length; w++)
        {
            var index = SubDocumentOrder.CommandIndex(order, w);
            var spec = specs[index] ?? throw Invalid("LookupIn", lookup.Key, index, "the spec is null");
            var opcode = spec.Operation switch
            {
                LookupInOperation.Get => Opcode.SubdocGet,
                LookupInOperation.Exists => Opcode.SubdocExists,
                LookupInOperation.Count => Opcode.SubdocGetCount,
                LookupInOperation.GetDocument => Opcode.Get,
                _ => throw Invalid("LookupIn", lookup.Key, index, $"unknown operation {spec.Operation}"),
            };
            var emptyAllowed = spec.Operation is LookupInOperation.Count or LookupInOperation.GetDocument;
            var path = CheckPath("LookupIn", lookup.Key, index, spec.Operation.ToString(), spec.Path, spec.Xattr,
                emptyAllowed, spec.Operation == LookupInOperation.Get ? " (GetDocument reads the whole document)" : "");
            wire[w] = new WireSpec(opcode, spec.Xattr ? PathFlags.Xattr : PathFlags.None, path, ReadOnlyMemory<byte>.Empty);
        }
        request.Value = new EncodedValue(MultiLookupCodec.Encode(wire), 0, DataType.Raw);
        request.Opcode = Opcode.SubdocMultiLookup;
    }

    private void DescribeMutateIn(Kv.MutateIn mutate, KvRequest request)
    {
        var key = mutate.Key;
        var specs = CheckSpecCount(mutate.Specs, "MutateIn", key);
        if (!Enum.IsDefined(mutate.StoreSemantics))
            throw new KvInvalidArgumentException($"MutateIn of key '{key}' has an unknown store semantics ({(int)mutate.StoreSemantics})");
        if (mutate.StoreSemantics == StoreSemantics.Insert && mutate.Cas != 0)
            throw new KvInvalidArgumentException(
                $"MutateIn of key '{key}' with StoreSemantics.Insert creates the document, so it cannot take a CAS (0x{mutate.Cas:x})");
        var order = SubDocumentOrder.Of(specs);
        var wire = new WireSpec[specs.Count];
        for (var w = 0; w < wire.Length; w++)
        {
            var index = SubDocumentOrder.CommandIndex(order, w);
            var spec = specs[index] ?? throw Invalid("MutateIn", key, index, "the spec is null");
            var (opcode, emptyAllowed) = spec.Operation switch
            {
                MutateInOperation.Insert => (Opcode.SubdocDictAdd, false),
                MutateInOperation.Upsert => (Opcode.SubdocDictUpsert, false),
                MutateInOperation.Replace => (Opcode.SubdocReplace, false),
                MutateInOperation.Remove => (Opcode.SubdocDelete, false),
                MutateInOperation.ArrayAppend => (Opcode.SubdocArrayPushLast, true),
                MutateInOperation.ArrayPrepend => (Opcode.SubdocArrayPushFirst, true),
                MutateInOperation.ArrayInsert => (Opcode.SubdocArrayInsert, false),
                MutateInOperation.ArrayAddUnique => (Opcode.SubdocArrayAddUnique, true),
                MutateInOperation.Counter => (Opcode.SubdocCounter, false),
                _ => throw Invalid("MutateIn", key, index, $"unknown operation {spec.Operation}"),
            };
            var path = CheckPath("MutateIn", key, index, spec.Operation.ToString(), spec.Path, spec.Xattr, emptyAllowed,
                emptyAllowed ? "" : " (only the array operations take an empty path: the document is then the array)");
            var flags = (spec.Xattr ? PathFlags.Xattr : PathFlags.None) | (spec.CreatePath ? PathFlags.CreatePath : PathFlags.None);
            wire[w] = new WireSpec(opcode, flags, path, SpecValue(key, index, spec));
        }
        var body = MultiMutationCodec.Encode(wire);
        CheckSize(key, body.Length);
        request.Value = new EncodedValue(body, 0, DataType.Raw);
        request.Expiry = Expiry.ToWire(mutate.Expiry, key);
        request.Cas = mutate.Cas;
        request.Opcode = Opcode.SubdocMultiMutation;
    }

    private static IReadOnlyList<T> CheckSpecCount<T>(IReadOnlyList<T>? specs, string what, string key)
    {
        if (specs is null || specs.Count == 0)
            throw new KvInvalidArgumentException($"{what} of key '{key}' has no specs; it takes 1 to {SubDocumentLimits.MaxSpecs}");
        if (specs.Count > SubDocumentLimits.MaxSpecs)
            throw new KvInvalidArgumentException(
                $"{what} of key '{key}' has {specs.Count} specs; the server takes at most {SubDocumentLimits.MaxSpecs} in one command");
        return specs;
    }

    private static byte[] CheckPath(string what, string key, int index, string operation, string? path, bool xattr,
        bool emptyAllowed, string emptyHint)
    {
        if (path is null) throw Invalid(what, key, index, $"{operation} has no path (null)");
        if (path.Length == 0)
        {
            if (xattr) throw Invalid(what, key, index, $"{operation} on an xattr needs the attribute's name as the path's first component");
            if (!emptyAllowed) throw Invalid(what, key, index, $"{operation} needs a path, and it is empty{emptyHint}");
            return Array.Empty<byte>();
        }
        if (SubDocumentPath.Problem(path) is { } problem)
            throw Invalid(what, key, index, $"{operation} path '{WireText.Printable(path, 80)}' is not valid: {problem}");
        return SubDocumentPath.Encode(path);
    }

    /// <summary>The JSON a mutation spec sends: values joined by commas (array operations), a counter's delta, or nothing.</summary>
    private ReadOnlyMemory<byte> SpecValue(string key, int index, MutateInSpec spec)
    {
        switch (spec.Operation)
        {
            case MutateInOperation.Remove:
                return ReadOnlyMemory<byte>.Empty;
            case MutateInOperation.Counter:
                if (spec.Delta == 0) throw Invalid("MutateIn", key, index, "a counter's delta must not be 0");
                return Encoding.ASCII.GetBytes(spec.Delta.ToString(CultureInfo.InvariantCulture));
        }
        var values = spec.Values;
        if (values is null || values.Count == 0) throw Invalid("MutateIn", key, index, $"{spec.Operation} needs a value");
        if (values.Count == 1) return Fragment(key, index, spec, values[0]);
        var parts = new ReadOnlyMemory<byte>[values.Count];
        var length = values.Count - 1; // the commas
        for (var i = 0; i < parts.Length; i++) length += (parts[i] = Fragment(key, index, spec, values[i])).Length;
        var joined = new byte[length];
        var at = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) joined[at++] = (byte)',';
            parts[i].Span.CopyTo(joined.AsSpan(at));
            at += parts[i].Length;
        }
        return joined;
    }

    private ReadOnlyMemory<byte> Fragment(string key, int index, MutateInSpec spec, object? value)
    {
        ReadOnlyMemory<byte> json;
        switch (value)
        {
            case byte[] bytes:
                json = bytes;
                break;
            case ReadOnlyMemory<byte> memory:
                json = memory;
                break;
            case string text:
                json = Utf8.GetBytes(JsonConvert.ToString(text));
                break;
            default:
                EncodedValue encoded;
                try
                {
                    encoded = _transcoder.Encode(value);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new KvInvalidArgumentException(
                        $"MutateIn of key '{key}', spec {index} ({spec.Operation} '{spec.Path}'): the value " +
                        $"({value?.GetType().Name ?? "null"}) could not be encoded: {e.Message}", inner: e);
                }
                if (CommonFlags.FormatOf(encoded.Flags) != DocumentFormat.Json)
                    throw Invalid("MutateIn", key, index,
                        $"the transcoder encoded the value ({value?.GetType().Name}) as {CommonFlags.FormatOf(encoded.Flags)}, " +
                        "but sub-document values must be JSON (pass JSON text as bytes to send it as it is)");
                json = encoded.Bytes;
                break;
        }
        if (json.IsEmpty) throw Invalid("MutateIn", key, index, $"{spec.Operation} has an empty value, which is not JSON");
        return json;
    }

    private static KvInvalidArgumentException Invalid(string what, string key, int index, string problem) =>
        new($"{what} of key '{WireText.Printable(key)}', spec {index}: {problem}");
}
