using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Akka.Couchbase.Protocol;
using Newtonsoft.Json;

namespace Akka.Couchbase.Transcoding;

/// <summary>
/// The transcoder used unless another is configured.
/// <list type="bullet">
/// <item><description>Encoding: <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/> and
/// <see cref="ArraySegment{T}"/> of bytes are stored as binary (<see cref="CommonFlags.Binary"/>, not copied, so do
/// not change the bytes until the write is done); <c>string</c> as UTF-8 text (<see cref="CommonFlags.String"/>);
/// anything else, numbers and null included, as JSON through Newtonsoft (<see cref="CommonFlags.Json"/>, datatype JSON).</description></item>
/// <item><description>Decoding into <c>byte[]</c> copies the bytes, into <see cref="ReadOnlyMemory{T}"/> returns them as
/// they are, whatever the flags. Into <c>string</c>: text, except that a JSON document (or a legacy one whose
/// datatype says JSON) holding a string literal yields the literal's value. Into any other type: JSON
/// deserialization; legacy documents (flags 0) are read as JSON; binary documents can only be read as bytes
/// (or as <c>object</c>, giving a <c>byte[]</c>); text documents read as <c>object</c> give the string.</description></item>
/// </list>
/// Flags win over datatype. Compressed values (Snappy datatype or compression bits in the flags) are refused.
/// Thread-safe.
/// </summary>
public sealed class DefaultTranscoder : ITranscoder
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static readonly JsonSerializerSettings SharedSettings = new()
    {
        DateParseHandling = DateParseHandling.None,
        CheckAdditionalContent = true,
        MaxDepth = 128,
    };

    private static readonly byte[] JsonNull = "null"u8.ToArray();

    private readonly JsonSerializer _serializer;

    /// <summary>The shared instance with the default serializer settings.</summary>
    public static DefaultTranscoder Instance { get; } = new();

    /// <summary>Creates a transcoder with the default serializer settings (dates kept as strings in untyped JSON, trailing content refused).</summary>
    public DefaultTranscoder() : this(SharedSettings) { }

    /// <summary>Creates a transcoder whose JSON goes through a serializer built from <paramref name="settings"/>.</summary>
    public DefaultTranscoder(JsonSerializerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _serializer = JsonSerializer.Create(settings);
    }

    /// <inheritdoc />
    public EncodedValue Encode<T>(T value)
    {
        switch (value)
        {
            case null:
                return new EncodedValue(JsonNull, CommonFlags.Json, DataType.Json);
            case byte[] bytes:
                return new EncodedValue(bytes, CommonFlags.Binary, DataType.Raw);
            case ReadOnlyMemory<byte> memory:
                return new EncodedValue(memory, CommonFlags.Binary, DataType.Raw);
            case Memory<byte> memory:
                return new EncodedValue(memory, CommonFlags.Binary, DataType.Raw);
            case ArraySegment<byte> segment:
                return new EncodedValue(segment, CommonFlags.Binary, DataType.Raw);
            case string text:
                return new EncodedValue(Utf8NoBom.GetBytes(text), CommonFlags.String, DataType.Raw);
            default:
                return new EncodedValue(SerializeJson(value), CommonFlags.Json, DataType.Json);
        }
    }

    /// <inheritdoc />
    public T Decode<T>(ReadOnlyMemory<byte> bytes, uint flags, DataType dataType)
    {
        if (typeof(T) == typeof(ReadOnlyMemory<byte>)) return (T)(object)bytes;
        if (typeof(T) == typeof(byte[])) return (T)(object)bytes.ToArray();

        if (CommonFlags.CompressionOf(flags) != 0)
            throw new TranscodingException(flags, typeof(T), "the flags say the value is compressed, which this transcoder does not read");
        if ((dataType & DataType.Snappy) != 0)
            throw new TranscodingException(flags, typeof(T), "the value is Snappy-compressed, which this transcoder does not read");
        var body = (dataType & DataType.Xattr) != 0 ? SkipXattrs(bytes, flags, typeof(T)) : bytes;
        var format = CommonFlags.FormatOf(flags);

        if (typeof(T) == typeof(string)) return (T)(object)DecodeText(body.Span, format, dataType);

        switch (format)
        {
            case DocumentFormat.Binary:
                if (typeof(T) == typeof(object)) return (T)(object)body.ToArray();
                throw new TranscodingException(flags, typeof(T),
                    "a binary document can only be read as byte[], ReadOnlyMemory<byte> or object");
            case DocumentFormat.String when typeof(T) == typeof(object):
                return (T)(object)Utf8NoBom.GetString(body.Span);
            default:
                return DeserializeJson<T>(body, flags);
        }
    }

    private ReadOnlyMemory<byte> SerializeJson<T>(T value)
    {
        try
        {
            var stream = new MemoryStream(256);
            using (var text = new StreamWriter(stream, Utf8NoBom, bufferSize: 1024, leaveOpen: true))
            using (var json = new JsonTextWriter(text))
            {
                _serializer.Serialize(json, value);
            }
            return stream.GetBuffer().AsMemory(0, (int)stream.Length);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TranscodingException(value!.GetType(), "JSON serialization failed: " + ex.Message, ex);
        }
    }

    private T DeserializeJson<T>(ReadOnlyMemory<byte> body, uint flags)
    {
        if (body.IsEmpty) throw new TranscodingException(flags, typeof(T), "the document is empty, which is not JSON");
        try
        {
            using var reader = new JsonTextReader(new StreamReader(AsStream(body), Encoding.UTF8));
            var result = _serializer.Deserialize(reader, typeof(T));
            if (result is null && default(T) is not null)
                throw new TranscodingException(flags, typeof(T), "the document is JSON null");
            return (T)result!;
        }
        catch (Exception ex) when (ex is not TranscodingException and not OutOfMemoryException)
        {
            throw new TranscodingException(flags, typeof(T), "JSON deserialization failed: " + ex.Message, ex);
        }
    }

    private static string DecodeText(ReadOnlySpan<byte> body, DocumentFormat format, DataType dataType)
    {
        var isJson = format == DocumentFormat.Json
                     || (format == DocumentFormat.Legacy && (dataType & DataType.Json) != 0);
        var text = Utf8NoBom.GetString(body);
        return isJson && TryReadStringLiteral(text, out var literal) ? literal : text;
    }

    private static bool TryReadStringLiteral(string json, out string value)
    {
        value = "";
        var trimmed = json.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '"') return false;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            if (!reader.Read() || reader.TokenType != JsonToken.String) return false;
            var literal = (string)reader.Value!;
            if (reader.Read()) return false; // more than one token
            value = literal;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ReadOnlyMemory<byte> SkipXattrs(ReadOnlyMemory<byte> bytes, uint flags, Type target)
    {
        if (bytes.Length < 4) throw new TranscodingException(flags, target, "the xattr section is truncated");
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Span);
        if (length > (uint)(bytes.Length - 4)) throw new TranscodingException(flags, target, "the xattr section is longer than the value");
        return bytes.Slice(4 + (int)length);
    }

    private static Stream AsStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
