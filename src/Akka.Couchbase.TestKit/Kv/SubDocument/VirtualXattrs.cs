using System.Globalization;
using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// The virtual xattrs (kv_engine <c>daemon/subdocument_context.cc</c>): <c>$document</c> (CAS, vbucket_uuid,
/// seqno, revid, exptime, flags, value_bytes, datatype, deleted, last_modified, value_crc32c), <c>$XTOC</c> (the
/// xattr keys) and <c>$vbucket</c> (HLC now), and the <c>${$document...}</c> macros taken from them.
/// </summary>
internal static class VirtualXattrs
{
    /// <summary>
    /// The JSON a path on the virtual xattr <paramref name="key"/> is evaluated in (<c>{"$document":{...}}</c>), or
    /// null for an unknown one (XATTR_UNKNOWN_VATTR).
    /// </summary>
    public static JsonNode? Root(string key, InputDocument doc, long nowSeconds) => key switch
    {
        "$document" => Wrap(key, Document(doc)),
        "$XTOC" => Wrap(key, new JsonArray(doc.Xattrs.Entries.Select(e => (JsonNode)JsonScalar.String(e.Key)).ToList())),
        "$vbucket" => Wrap(key, Object(("HLC", Object(
            ("now", JsonScalar.String(nowSeconds.ToString(CultureInfo.InvariantCulture))),
            ("mode", JsonScalar.String("real")))))),
        _ => null,
    };

    /// <summary>The <c>$document</c> object.</summary>
    public static JsonObject Document(InputDocument doc)
    {
        var datatype = new List<JsonNode>();
        if (doc.BodyIsJson) datatype.Add(JsonScalar.String("json"));
        if (!doc.Xattrs.IsEmpty) datatype.Add(JsonScalar.String("xattr"));
        if (datatype.Count == 0) datatype.Add(JsonScalar.String("raw"));
        return Object(
            ("CAS", Hex(doc.Cas)),
            ("vbucket_uuid", Hex(doc.VBucketUuid)),
            ("seqno", Hex(doc.Seqno)),
            ("revid", JsonScalar.String(doc.Seqno.ToString(CultureInfo.InvariantCulture))),
            ("exptime", JsonScalar.Number(doc.ExpiryUnixSeconds)),
            ("flags", JsonScalar.Number(doc.Flags)),
            ("value_bytes", JsonScalar.Number(doc.Body.Length)),
            ("datatype", new JsonArray(datatype)),
            ("deleted", JsonScalar.Boolean(doc.Deleted)),
            ("last_modified", JsonScalar.String((doc.Cas / 1_000_000_000UL).ToString(CultureInfo.InvariantCulture))),
            ("value_crc32c", JsonScalar.String("0x" + Crc32C.Of(doc.Body).ToString("x8", CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// The JSON text a <c>"${$document}"</c> or <c>"${$document.FIELD}"</c> macro stands for, or null when the
    /// field is unknown (XATTR_UNKNOWN_VATTR_MACRO). The whole-document form has no value_crc32c field's
    /// counterpart among the single fields, as on the server.
    /// </summary>
    public static string? ExpandMacro(string macro, InputDocument doc)
    {
        var document = Document(doc);
        if (macro == "\"${$document}\"") return document.ToJson();
        var field = macro.Substring(12, macro.Length - 14); // "${$document.FIELD}"
        if (!field.StartsWith('.')) return null;
        field = field.Substring(1);
        if (field == "value_crc32c") return null;
        var i = document.IndexOf(field);
        return i < 0 ? null : document.Members[i].Value.ToJson();
    }

    private static JsonScalar Hex(ulong value) => new(JsonScalarKind.String, Macros.Hex64(value));

    private static JsonObject Wrap(string key, JsonNode value) => Object((key, value));

    private static JsonObject Object(params (string Name, JsonNode Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (name, value) in members) o.Members.Add(new JsonMember(name, name, value));
        return o;
    }
}
