using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// Runs the specs of one request on a copy of the document, as kv_engine does (<c>execute_subdoc_spec</c>): the
/// xattr specs first, on an object of all the xattrs (virtual ones computed), then a whole-document delete's
/// pruning of the user xattrs, then the body specs. A lookup runs every spec; a mutation stops at its first failure
/// and then changes nothing. <see cref="Finish"/> gives the new body and xattrs, macros expanded, once the
/// mutation's CAS and seqno are known.
/// </summary>
internal sealed class SubDocExecution
{
    private const string Base64Prefix = "cb-content-base64-encoded:";

    private readonly SubDocRequest _request;
    private readonly InputDocument _input;
    private readonly long _nowSeconds;
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);
    private JsonObject? _xattrs;
    private bool _xattrsModified;
    private byte[] _body;
    private bool _bodyIsJson;
    private JsonNode? _tree;
    private bool _treeParsed;
    private bool _treeDirty;

    public SubDocExecution(SubDocRequest request, InputDocument input, long nowSeconds)
    {
        _request = request;
        _input = input;
        _nowSeconds = nowSeconds;
        _body = input.Body;
        _bodyIsJson = input.BodyIsJson;
        Results = Enumerable.Repeat(SpecResult.NotRun, request.Specs.Count).ToArray();
    }

    /// <summary>Each spec's result, in request order (xattr specs come first, as the request must order them).</summary>
    public SpecResult[] Results { get; }

    /// <summary>Success, MULTI_PATH_FAILURE (multi-path), or the single path's failure.</summary>
    public KvStatus Overall { get; private set; } = KvStatus.Success;

    /// <summary>Index of the first failed spec, or -1.</summary>
    public int FirstFailure { get; private set; } = -1;

    /// <summary>A whole-document delete spec ran: the document goes (or stays a tombstone of its system xattrs).</summary>
    public bool DeletesDocument { get; private set; }

    public void Run()
    {
        var i = 0;
        var xattrSpecs = _request.Specs.TakeWhile(s => s.IsXattr).Count();
        if (xattrSpecs > 0)
        {
            _xattrs = XattrObject(_input.Xattrs);
            if (_request.Specs.Any(s => s.ExpandsMacros)) MakePlaceholders();
        }
        for (; i < xattrSpecs; i++)
            if (!Record(i, RunXattr(_request.Specs[i]))) return;
        if (_request.Specs.Any(s => s.Traits.Opcode == Opcode.Delete && s.Traits.Scope == CommandScope.WholeDoc))
        {
            // the user xattrs go with the body; the system ones stay in the tombstone
            _xattrs ??= XattrObject(_input.Xattrs);
            if (_xattrs.Members.RemoveAll(m => !DocumentXattrs.IsSystemKey(m.Name)) > 0) _xattrsModified = true;
        }
        for (; i < _request.Specs.Count; i++)
            if (!Record(i, RunBody(_request.Specs[i]))) return;
    }

    /// <summary>The body after the mutation, whether it is JSON, and the xattrs with every macro expanded.</summary>
    public (byte[] Body, bool BodyIsJson, DocumentXattrs Xattrs) Finish(ulong cas, ulong seqno)
    {
        var body = Body();
        if (!_xattrsModified || _xattrs is null) return (body, _bodyIsJson, _input.Xattrs);
        if (_placeholders.Count > 0)
        {
            var expansions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (macro, placeholder) in _placeholders)
                expansions[placeholder] = macro switch
                {
                    Macros.Cas => Macros.ExpandCas(cas),
                    Macros.Seqno => Macros.ExpandSeqno(seqno),
                    _ => Macros.ExpandCrc32C(Crc32C.Of(body)),
                };
            _xattrs.Visit(n =>
            {
                if (n is JsonScalar s && expansions.TryGetValue(s.Raw, out var expanded)) s.Raw = expanded;
            });
        }
        var xattrs = DocumentXattrs.Of(_xattrs.Members.Select(m => new KeyValuePair<string, string>(m.Name, m.Value.ToJson())));
        return (body, _bodyIsJson, xattrs);
    }

    private bool Record(int index, SpecResult result)
    {
        Results[index] = result;
        if (result.Status == KvStatus.Success) return true;
        if (FirstFailure < 0) FirstFailure = index;
        if (!_request.Multi)
        {
            Overall = result.Status;
            return false;
        }
        Overall = SubDocStatus.MultiPathFailure;
        return !_request.IsMutator;
    }

    private SpecResult RunXattr(SubDocSpec spec)
    {
        var command = spec.Traits.Command;
        var mkdirP = (spec.Flags & PathFlags.MkdirP) != 0 || _request.ImpliesMkdirP;
        if (XattrKey.IsVirtual(spec.Path))
        {
            var key = XattrKey.Of(spec.Path)!;
            var root = VirtualXattrs.Root(key, _input, _nowSeconds);
            if (root is null) return new SpecResult(SubDocStatus.XattrUnknownVattr, null);
            return Answer(spec, SubJson.Execute(command, root, spec.Path, spec.Value, mkdirP));
        }
        var value = spec.Value;
        if (spec.ExpandsMacros)
        {
            var macro = Encoding.UTF8.GetString(value);
            var text = _placeholders.TryGetValue(macro, out var placeholder) ? placeholder : VirtualXattrs.ExpandMacro(macro, _input);
            if (text is null) return new SpecResult(SubDocStatus.XattrUnknownVattrMacro, null);
            value = Encoding.UTF8.GetBytes(text);
        }
        else if (spec.IsBinary && spec.Traits.IsMutator)
        {
            value = Encoding.UTF8.GetBytes(JsonScalar.String(Base64Prefix + Convert.ToBase64String(value)).Raw);
        }
        var result = SubJson.Execute(command, _xattrs!, spec.Path, value, mkdirP);
        if (result.Status != KvStatus.Success) return new SpecResult(result.Status, null);
        if (spec.Traits.Scope == CommandScope.AttributesAndBody)
        {
            // REPLACE_BODY_WITH_XATTR: the xattr's value becomes the body
            var bodyBytes = spec.IsBinary ? Unbase64(result.Value!) : Encoding.UTF8.GetBytes(result.Value!);
            if (bodyBytes is null) return new SpecResult(SubDocStatus.FieldNotBinaryValue, null);
            SetBody(bodyBytes);
            return new SpecResult(KvStatus.Success, null);
        }
        if (spec.Traits.IsMutator) _xattrsModified = true;
        if (spec.IsBinary && command == SubJsonCommand.Get)
        {
            var raw = Unbase64(result.Value!);
            return raw is null ? new SpecResult(SubDocStatus.FieldNotBinaryValue, null) : new SpecResult(KvStatus.Success, raw);
        }
        return Answer(spec, result);
    }

    private SpecResult RunBody(SubDocSpec spec)
    {
        switch (spec.Traits.Scope)
        {
            case CommandScope.WholeDoc when spec.Traits.Opcode == Opcode.Get:
                var body = Body();
                return body.Length == 0 ? new SpecResult(SubDocStatus.PathNotFound, null) : new SpecResult(KvStatus.Success, body);
            case CommandScope.WholeDoc when spec.Traits.Opcode == Opcode.Set:
                SetBody(spec.Value);
                return new SpecResult(KvStatus.Success, null);
            case CommandScope.WholeDoc:
                SetBody(Array.Empty<byte>());
                DeletesDocument = true;
                return new SpecResult(KvStatus.Success, null);
        }
        if (!_bodyIsJson) return new SpecResult(SubDocStatus.DocNotJson, null);
        var tree = Tree();
        if (tree is null) return new SpecResult(SubDocStatus.DocNotJson, null);
        if (tree.Depth > SubJson.MaxDepth) return new SpecResult(SubDocStatus.DocTooDeep, null);
        var mkdirP = (spec.Flags & PathFlags.MkdirP) != 0 || _request.ImpliesMkdirP;
        var result = SubJson.Execute(spec.Traits.Command, tree, spec.Path, spec.Value, mkdirP);
        if (result.Status == KvStatus.Success && spec.Traits.IsMutator) _treeDirty = true;
        return Answer(spec, result);
    }

    private static SpecResult Answer(SubDocSpec spec, SubJsonResult result) =>
        new(result.Status, spec.Traits.ResponseHasValue && result.Value != null ? Encoding.UTF8.GetBytes(result.Value) : null);

    private byte[] Body()
    {
        if (!_treeDirty) return _body;
        _body = _tree!.ToUtf8();
        _treeDirty = false;
        return _body;
    }

    private JsonNode? Tree()
    {
        if (!_treeParsed)
        {
            _tree = JsonParser.TryParse(_body);
            _treeParsed = true;
        }
        return _tree;
    }

    private void SetBody(byte[] body)
    {
        _body = body;
        _bodyIsJson = JsonDetector.IsJson(body);
        _tree = null;
        _treeParsed = false;
        _treeDirty = false;
    }

    private static JsonObject XattrObject(DocumentXattrs xattrs)
    {
        var o = new JsonObject();
        foreach (var (key, json) in xattrs.Entries)
        {
            var escaped = JsonScalar.String(key).Raw;
            o.Members.Add(new JsonMember(key, escaped.Substring(1, escaped.Length - 2),
                JsonParser.TryParse(Encoding.UTF8.GetBytes(json)) ?? new JsonScalar(JsonScalarKind.Null, "null")));
        }
        return o;
    }

    /// <summary>A unique string for each mutation macro, replaced by its value once the CAS and seqno are known.</summary>
    private void MakePlaceholders()
    {
        var existing = string.Join("\n", _input.Xattrs.Entries.Select(e => e.Value));
        foreach (var macro in new[] { Macros.Cas, Macros.Seqno, Macros.ValueCrc32C })
        {
            string candidate;
            do candidate = "\"" + Guid.NewGuid().ToString("N") + "\"";
            while (existing.Contains(candidate, StringComparison.Ordinal)
                   || _request.Specs.Any(s => Encoding.UTF8.GetString(s.Value).Contains(candidate, StringComparison.Ordinal)));
            _placeholders[macro] = candidate;
        }
    }

    private static byte[]? Unbase64(string json)
    {
        if (JsonParser.TryParse(Encoding.UTF8.GetBytes(json)) is not JsonScalar { Kind: JsonScalarKind.String } s) return null;
        var text = System.Text.Json.JsonSerializer.Deserialize<string>(s.Raw)!;
        if (!text.StartsWith(Base64Prefix, StringComparison.Ordinal)) return null;
        try
        {
            return Convert.FromBase64String(text.Substring(Base64Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
