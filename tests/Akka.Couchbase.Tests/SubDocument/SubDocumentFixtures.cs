using System.Buffers.Binary;
using System.Text;
using Akka.Configuration;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// Lookup-in and mutate-in requests made as the supervisor makes them (the real <see cref="RequestFactory"/>),
/// encoded by the real <see cref="RequestEncoder"/>, and server replies fed to the real <see cref="ResponseMapper"/>:
/// no actor, no socket.
/// </summary>
internal static class SubDocumentFixtures
{
    public static RequestFactory Factory(string bucketType = "couchbase") => new(
        CouchbaseSettings.Create(ConfigurationFactory.ParseString($"{CouchbaseSettings.ConfigPath}.bucket-type = {bucketType}")
            .WithFallback(CouchbaseExtension.DefaultConfig).GetConfig(CouchbaseSettings.ConfigPath)),
        DefaultTranscoder.Instance);

    private static readonly RequestFactory Couchbase = Factory();

    public static KvRequest Request(Kv.KeyCommand command) => Couchbase.Create(command, default);

    /// <summary>The frame <paramref name="command"/> goes on the wire as.</summary>
    public static byte[] Wire(Kv.KeyCommand command, uint opaque = 7, int vBucket = 0)
    {
        var request = Request(command);
        request.Opaque = opaque;
        request.VBucket = vBucket;
        var bytes = new byte[request.EncodedSize];
        var written = RequestEncoder.Write(bytes, request, jsonNegotiated: true);
        Xunit.Assert.Equal(bytes.Length, written);
        return bytes;
    }

    /// <summary>What the mapper makes of a response with <paramref name="status"/> and <paramref name="value"/> to <paramref name="command"/>.</summary>
    public static object Reply(Kv.KeyCommand command, KvStatus status, byte[] value, ulong cas = 0x1234, byte[]? extras = null)
    {
        var request = Request(command);
        extras ??= Array.Empty<byte>();
        var body = extras.Concat(value).ToArray();
        var frame = new RawFrame(Magic.Response, request.Opcode, 0, (byte)extras.Length, 0, DataType.Raw, (ushort)status,
            request.Opaque, cas, body, 0, body.Length);
        return ResponseMapper.Map(request, frame, DefaultTranscoder.Instance, 0, 0);
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>One multi-lookup result: u16 status, u32 length, value.</summary>
    public static byte[] LookupResult(ushort status, string value = "")
    {
        var bytes = new byte[6 + Utf8(value).Length];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, status);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), (uint)Utf8(value).Length);
        Utf8(value).CopyTo(bytes, 6);
        return bytes;
    }

    /// <summary>One multi-mutation result: u8 index, u16 status, u32 length, value.</summary>
    public static byte[] MutationResult(byte index, ushort status, string value)
    {
        var bytes = new byte[7 + Utf8(value).Length];
        bytes[0] = index;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1), status);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(3), (uint)Utf8(value).Length);
        Utf8(value).CopyTo(bytes, 7);
        return bytes;
    }
}
