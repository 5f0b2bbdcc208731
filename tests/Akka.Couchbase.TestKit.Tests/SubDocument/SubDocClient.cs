using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>
/// Raw sub-document frames over a real socket (a <see cref="RawKvClient"/> that HELLOed XATTR, JSON, XERROR and
/// MUTATION_SEQNO unless told otherwise), and the response bodies read back as the protocol lays them out.
/// </summary>
internal sealed class SubDocClient : IAsyncDisposable
{
    private readonly Func<string, ushort> _vbOf;

    private SubDocClient(RawKvClient raw, Func<string, ushort> vbOf, ushort[] acked)
    {
        Raw = raw;
        _vbOf = vbOf;
        Acked = acked;
    }

    public RawKvClient Raw { get; }

    /// <summary>The features the server acknowledged in HELLO.</summary>
    public ushort[] Acked { get; }

    public static async Task<SubDocClient> ConnectAsync(int port, Func<string, ushort> vbOf, bool xattr = true)
    {
        var raw = await RawKvClient.ConnectAsync(port);
        var features = new List<HelloFeature> { HelloFeature.XError, HelloFeature.Json, HelloFeature.MutationSeqno, HelloFeature.SelectBucket };
        if (xattr) features.Add(HelloFeature.Xattr);
        var acked = await raw.HelloAsync(features.ToArray());
        if ((await raw.PlainAsync("Administrator", "password")).Status != KvStatus.Success) throw new InvalidOperationException("auth failed");
        if ((await raw.SelectBucketAsync("default")).Status != KvStatus.Success) throw new InvalidOperationException("select failed");
        return new SubDocClient(raw, vbOf, acked);
    }

    /// <summary>A single-path command: extras <c>u16 path length, u8 path flags [, u32 expiry] [, u8 doc flags]</c>, value = path + value.</summary>
    public Task<Frame> SingleAsync(byte opcode, string key, string path, string? value = null, byte pathFlags = 0,
        byte? docFlags = null, uint? expiry = null, ulong cas = 0)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var extras = new List<byte> { (byte)(pathBytes.Length >> 8), (byte)pathBytes.Length, pathFlags };
        if (expiry is { } e) extras.AddRange(BigEndian(e));
        if (docFlags is { } d) extras.Add(d);
        var body = pathBytes.Concat(value is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(value)).ToArray();
        return Raw.CallAsync((Opcode)opcode, extras.ToArray(), key, body, _vbOf(key), cas);
    }

    /// <summary>MULTI_LOOKUP: per spec <c>u8 opcode, u8 flags, u16 path length, path</c>; extras = the doc flags if any.</summary>
    public Task<Frame> LookupAsync(string key, IEnumerable<Spec> specs, byte? docFlags = null, ulong cas = 0)
    {
        var body = new List<byte>();
        foreach (var s in specs)
        {
            var path = Encoding.UTF8.GetBytes(s.Path);
            body.Add(s.Opcode);
            body.Add(s.Flags);
            body.Add((byte)(path.Length >> 8));
            body.Add((byte)path.Length);
            body.AddRange(path);
        }
        return Raw.CallAsync((Opcode)SubDoc.MultiLookup, docFlags is { } d ? new[] { d } : Array.Empty<byte>(), key,
            body.ToArray(), _vbOf(key), cas);
    }

    /// <summary>MULTI_MUTATION: per spec <c>u8 opcode, u8 flags, u16 path length, u32 value length, path, value</c>; extras = <c>[u32 expiry] [u8 doc flags]</c>.</summary>
    public Task<Frame> MutateAsync(string key, IEnumerable<Spec> specs, byte? docFlags = null, uint? expiry = null, ulong cas = 0)
        => Raw.CallAsync((Opcode)SubDoc.MultiMutation, MultiExtras(docFlags, expiry), key, MutationBody(specs), _vbOf(key), cas);

    public static byte[] MutationBody(IEnumerable<Spec> specs)
    {
        var body = new List<byte>();
        foreach (var s in specs)
        {
            var path = Encoding.UTF8.GetBytes(s.Path);
            var value = s.Value is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(s.Value);
            body.Add(s.Opcode);
            body.Add(s.Flags);
            body.Add((byte)(path.Length >> 8));
            body.Add((byte)path.Length);
            body.AddRange(BigEndian((uint)value.Length));
            body.AddRange(path);
            body.AddRange(value);
        }
        return body.ToArray();
    }

    public static byte[] MultiExtras(byte? docFlags, uint? expiry)
    {
        var extras = new List<byte>();
        if (expiry is { } e) extras.AddRange(BigEndian(e));
        if (docFlags is { } d) extras.Add(d);
        return extras.ToArray();
    }

    public Task<Frame> SetAsync(string key, string value, uint expiry = 0, ulong cas = 0) =>
        Raw.SetAsync(key, value, _vbOf(key), cas, expiry: expiry);

    public Task<Frame> GetAsync(string key) => Raw.GetAsync(key, _vbOf(key));

    public Task<Frame> DeleteAsync(string key) => Raw.CallAsync(Opcode.Delete, key: key, vBucket: _vbOf(key));

    /// <summary>A MULTI_LOOKUP body: one <c>(status, value)</c> per spec.</summary>
    public static List<(KvStatus Status, string Value)> LookupResults(Frame f)
    {
        var results = new List<(KvStatus, string)>();
        var body = f.Value;
        while (body.Length > 0)
        {
            var status = (KvStatus)BinaryPrimitives.ReadUInt16BigEndian(body);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.Slice(2));
            results.Add((status, Encoding.UTF8.GetString(body.Slice(6, length))));
            body = body.Slice(6 + length);
        }
        return results;
    }

    /// <summary>A successful MULTI_MUTATION body: <c>(index, status, value)</c> of each spec that has a value.</summary>
    public static List<(int Index, KvStatus Status, string Value)> MutationResults(Frame f)
    {
        var results = new List<(int, KvStatus, string)>();
        var body = f.Value;
        while (body.Length > 0)
        {
            var status = (KvStatus)BinaryPrimitives.ReadUInt16BigEndian(body.Slice(1));
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.Slice(3));
            results.Add((body[0], status, Encoding.UTF8.GetString(body.Slice(7, length))));
            body = body.Slice(7 + length);
        }
        return results;
    }

    /// <summary>A failed MULTI_MUTATION body: the index and status of the first failed spec.</summary>
    public static (int Index, KvStatus Status) Failure(Frame f)
    {
        if (f.ValueLength != 3) throw new InvalidOperationException($"failure body has {f.ValueLength} bytes, expected 3");
        return (f.Value[0], (KvStatus)BinaryPrimitives.ReadUInt16BigEndian(f.Value.Slice(1)));
    }

    public static byte[] BigEndian(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    public ValueTask DisposeAsync() => Raw.DisposeAsync();
}
