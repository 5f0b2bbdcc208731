using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Tests.Support;

/// <summary>
/// A tiny raw-frame MCBP client for tests: FrameWriter out, FrameDecoder in, over a TcpClient, or over an
/// <see cref="System.Net.Security.SslStream"/> on it (<see cref="ConnectTlsAsync"/>).
/// </summary>
internal sealed class RawKvClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly FrameDecoder _decoder = new(64 * 1024 * 1024);
    private readonly Queue<Frame> _pending = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private uint _opaque;

    private RawKvClient(TcpClient tcp, Stream? stream = null)
    {
        _tcp = tcp;
        _stream = stream ?? tcp.GetStream();
    }

    /// <summary>Connects to a TLS port and completes the handshake <paramref name="tls"/> describes (it throws when that fails).</summary>
    public static async Task<RawKvClient> ConnectTlsAsync(int port, TlsClient tls, string host = "127.0.0.1")
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port);
            var ssl = await tls.HandshakeAsync(tcp.GetStream());
            return new RawKvClient(tcp, ssl);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>The negotiated TLS version (None on a plain connection).</summary>
    public System.Security.Authentication.SslProtocols TlsProtocol =>
        _stream is System.Net.Security.SslStream ssl ? ssl.SslProtocol : System.Security.Authentication.SslProtocols.None;

    public static async Task<RawKvClient> ConnectAsync(int port, string host = "127.0.0.1")
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port);
        return new RawKvClient(tcp);
    }

    /// <summary>Connects, HELLOs (XERROR, JSON, MUTATION_SEQNO, SELECT_BUCKET), authenticates with PLAIN and selects the bucket.</summary>
    public static async Task<RawKvClient> ConnectBucketAsync(int port, string bucket = "default", string user = "Administrator", string password = "password")
    {
        var c = await ConnectAsync(port);
        await c.HelloAsync(HelloFeature.XError, HelloFeature.Json, HelloFeature.MutationSeqno, HelloFeature.SelectBucket);
        var auth = await c.PlainAsync(user, password);
        if (auth.Status != KvStatus.Success) throw new InvalidOperationException("auth failed: " + auth.Status);
        var sel = await c.SelectBucketAsync(bucket);
        if (sel.Status != KvStatus.Success) throw new InvalidOperationException("select failed: " + sel.Status);
        return c;
    }

    public uint NextOpaque() => ++_opaque;

    public async Task SendAsync(byte[] frame) => await _stream.WriteAsync(frame);

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads the next response frame; null if the server closed the connection.</summary>
    public async Task<Frame?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var list = new List<Frame>();
        while (_pending.Count == 0)
        {
            var n = await _stream.ReadAsync(_buffer, cts.Token);
            if (n == 0) return null;
            list.Clear();
            _decoder.Feed(_buffer.AsSpan(0, n), list);
            foreach (var f in list) _pending.Enqueue(f);
        }
        return _pending.Dequeue();
    }

    /// <summary>Reads raw bytes until the server closes; returns them.</summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var ms = new MemoryStream();
        while (true)
        {
            int n;
            try { n = await _stream.ReadAsync(_buffer, cts.Token); }
            catch (IOException) { break; }
            if (n == 0) break;
            ms.Write(_buffer, 0, n);
        }
        return ms.ToArray();
    }

    public async Task<Frame> CallAsync(Opcode opcode, ReadOnlyMemory<byte> extras = default, string? key = null,
        ReadOnlyMemory<byte> value = default, ushort vBucket = 0, ulong cas = 0, DataType dataType = DataType.Raw)
    {
        var opaque = NextOpaque();
        await SendAsync(FrameWriter.Request(opcode, opaque, extras.Span, key is null ? default : Encoding.UTF8.GetBytes(key), value.Span, vBucket, cas, dataType));
        var f = await ReadAsync() ?? throw new IOException("connection closed by the server");
        if (f.Opaque != opaque) throw new InvalidOperationException($"opaque mismatch {f.Opaque} != {opaque}");
        return f;
    }

    public async Task<ushort[]> HelloAsync(params HelloFeature[] features)
    {
        var v = new byte[features.Length * 2];
        for (var i = 0; i < features.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(v.AsSpan(i * 2), (ushort)features[i]);
        var f = await CallAsync(Opcode.Hello, key: "{\"a\":\"raw-test\"}", value: v);
        var acked = new ushort[f.ValueLength / 2];
        for (var i = 0; i < acked.Length; i++) acked[i] = BinaryPrimitives.ReadUInt16BigEndian(f.Value.Slice(i * 2));
        return acked;
    }

    public Task<Frame> PlainAsync(string user, string password) =>
        CallAsync(Opcode.SaslAuth, key: "PLAIN", value: Encoding.UTF8.GetBytes($"\0{user}\0{password}"));

    public Task<Frame> SelectBucketAsync(string bucket) => CallAsync(Opcode.SelectBucket, key: bucket);

    public Task<Frame> GetAsync(string key, ushort vb, Opcode op = Opcode.Get) => CallAsync(op, key: key, vBucket: vb);

    public Task<Frame> SetAsync(string key, string value, ushort vb, ulong cas = 0, uint flags = 0x02000000, uint expiry = 0,
        Opcode op = Opcode.Set, DataType dataType = DataType.Json) =>
        CallAsync(op, Extras(flags, expiry), key, Encoding.UTF8.GetBytes(value), vb, cas, dataType);

    public Task<Frame> CounterAsync(string key, ushort vb, bool increment, ulong delta, ulong initial, uint expiry = 0)
    {
        var e = new byte[20];
        BinaryPrimitives.WriteUInt64BigEndian(e, delta);
        BinaryPrimitives.WriteUInt64BigEndian(e.AsSpan(8), initial);
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(16), expiry);
        return CallAsync(increment ? Opcode.Increment : Opcode.Decrement, e, key, vBucket: vb);
    }

    public static byte[] Extras(uint flags, uint expiry)
    {
        var e = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(e, flags);
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(4), expiry);
        return e;
    }

    public static byte[] U32(uint v)
    {
        var e = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(e, v);
        return e;
    }

    /// <summary>Full SCRAM exchange; returns the final frame (SUCCESS with v=..., or AUTH_ERROR) after checking the server signature.</summary>
    public async Task<(Frame Final, bool ServerSignatureValid)> ScramAsync(string mechanism, string user, string password)
    {
        var cnonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var bare = $"n={user},r={cnonce}";
        var first = await CallAsync(Opcode.SaslAuth, key: mechanism, value: Encoding.UTF8.GetBytes("n,," + bare));
        if (first.Status != KvStatus.AuthContinue) return (first, false);
        var serverFirst = Encoding.UTF8.GetString(first.Value);
        var attrs = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
        var hash = mechanism switch { "SCRAM-SHA1" => HashAlgorithmName.SHA1, "SCRAM-SHA256" => HashAlgorithmName.SHA256, _ => HashAlgorithmName.SHA512 };
        var len = mechanism switch { "SCRAM-SHA1" => 20, "SCRAM-SHA256" => 32, _ => 64 };
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attrs['s']), int.Parse(attrs['i']), hash, len);
        byte[] Hmac(byte[] k, byte[] d) => len switch { 20 => HMACSHA1.HashData(k, d), 32 => HMACSHA256.HashData(k, d), _ => HMACSHA512.HashData(k, d) };
        byte[] H(byte[] d) => len switch { 20 => SHA1.HashData(d), 32 => SHA256.HashData(d), _ => SHA512.HashData(d) };
        var clientKey = Hmac(salted, Encoding.ASCII.GetBytes("Client Key"));
        var storedKey = H(clientKey);
        var withoutProof = $"c=biws,r={attrs['r']}";
        var authMessage = Encoding.UTF8.GetBytes($"{bare},{serverFirst},{withoutProof}");
        var sig = Hmac(storedKey, authMessage);
        var proof = clientKey.Zip(sig, (a, b) => (byte)(a ^ b)).ToArray();
        var final = await CallAsync(Opcode.SaslStep, key: mechanism, value: Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}"));
        if (final.Status != KvStatus.Success) return (final, false);
        var serverKey = Hmac(salted, Encoding.ASCII.GetBytes("Server Key"));
        var expected = "v=" + Convert.ToBase64String(Hmac(serverKey, authMessage));
        return (final, Encoding.UTF8.GetString(final.Value) == expected);
    }

    public bool Connected => _tcp.Connected;

    public async ValueTask DisposeAsync()
    {
        if (_stream is System.Net.Security.SslStream ssl) await ssl.DisposeAsync();
        _tcp.Dispose();
    }
}
