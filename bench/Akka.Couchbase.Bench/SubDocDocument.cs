using System.Text;

namespace Akka.Couchbase.Bench;

/// <summary>
/// The JSON document of <c>--subdoc</c>: <c>{"v":"…"}</c>, exactly the value size long. Reads get the field
/// <see cref="Path"/> (its string, the size less the 8 bytes of the frame, comes back); writes upsert it with another
/// string of the same length, so every document keeps its size for the whole run.
/// </summary>
internal sealed class SubDocDocument
{
    /// <summary>The one field that is read and written.</summary>
    public const string Path = "v";

    /// <summary>The size of <c>{"v":""}</c>: the document with an empty field.</summary>
    public const int MinimumSize = 8;

    public SubDocDocument(int size)
    {
        var fillerLength = size - MinimumSize;
        Document = new Dictionary<string, string> { [Path] = Filler(fillerLength, seed: 42) };
        FieldJson = Encoding.ASCII.GetBytes("\"" + Filler(fillerLength, seed: 43) + "\"");
    }

    /// <summary>The document as the populator stores it: an object, so the transcoder writes it as JSON (datatype JSON).</summary>
    public object Document { get; }

    /// <summary>The value of the write's Upsert spec: a JSON string literal, sent as these bytes.</summary>
    public byte[] FieldJson { get; }

    private static string Filler(int length, int seed)
    {
        var random = new Random(seed);
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('a' + random.Next(26));
        return new string(chars);
    }
}
