using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol.Sasl;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// The per-connection bootstrap of spec §7.1 as a pure state machine: HELLO and SASL_LIST_MECHS pipelined (GET_ERROR_MAP
/// once XERROR is acknowledged), then SASL (SCRAM-SHA512/256/1; PLAIN only where allowed), SELECT_BUCKET and GET_CLUSTER_CONFIG for
/// Couchbase buckets. It adapts to what the server supports: stock memcached answers HELLO and GET_ERROR_MAP with
/// unknown-command, and the handshake carries on without features. A memcached with SASL on answers anything before
/// authentication with an auth error and closes the socket: <see cref="AuthenticateFirstException"/> tells the
/// connection to reconnect with <c>authenticateFirst</c>, which authenticates before HELLO.
/// </summary>
internal sealed class Handshake
{
    private static readonly HelloFeature[] Requested =
    {
        HelloFeature.XError, HelloFeature.SelectBucket, HelloFeature.Json, HelloFeature.MutationSeqno,
        HelloFeature.TcpNoDelay,
    };

    /// <summary>Couchbase buckets also ask the server to push every new cluster map (spec §2.12), and for what sub-document operations use.</summary>
    private static readonly HelloFeature[] RequestedForCouchbaseBuckets =
        Requested.Concat(new[] { HelloFeature.Duplex, HelloFeature.ClustermapChangeNotification, HelloFeature.Collections })
            .Concat(SubDocument.SubDocumentFeatures.Requested).ToArray();

    private readonly HandshakeOptions _settings;
    private readonly string _connectionId;
    private readonly bool _fetchConfig;
    private readonly bool _authenticateFirst;
    private uint _opaque;
    private int _awaiting;
    private ScramClient? _scram;
    private string? _mechanism;
    private IReadOnlyList<string>? _offeredMechanisms;
    private bool _listMechsFailedAuth;
    private Stage _stage;

    private enum Stage { Negotiating, ListingMechanisms, Authenticating, ScramFinal, NegotiatingAfterAuth, SelectingBucket, FetchingConfig, Done }

    /// <summary>Thrown when the server wants authentication before anything else (memcached with SASL).</summary>
    public sealed class AuthenticateFirstException : Exception
    {
        public AuthenticateFirstException() : base("the server requires authentication before HELLO") { }
    }

    public Handshake(HandshakeOptions settings, string connectionId, bool fetchConfig, bool authenticateFirst)
    {
        _settings = settings;
        _connectionId = connectionId;
        _fetchConfig = fetchConfig && settings.BucketType == BucketType.Couchbase;
        _authenticateFirst = authenticateFirst && settings.UsesSasl;
    }

    /// <summary>Features the server acknowledged.</summary>
    public HashSet<HelloFeature> Features { get; } = new();
    /// <summary>The server's error map, if it sent one.</summary>
    public ErrorMap? ErrorMap { get; private set; }
    /// <summary>The cluster map JSON, if fetched.</summary>
    public string? ConfigJson { get; private set; }
    /// <summary>The SASL mechanism used, if any.</summary>
    public string? Mechanism => _mechanism;
    /// <summary>Opaques at or below this belong to the handshake.</summary>
    public uint LastOpaque => _opaque;

    /// <summary>The first pipelined batch.</summary>
    public List<byte[]> Start()
    {
        var frames = new List<byte[]>(3);
        if (_authenticateFirst)
        {
            frames.Add(FrameWriter.Request(Opcode.SaslListMechs, ++_opaque));
            _stage = Stage.ListingMechanisms;
            return frames;
        }
        Negotiate(frames);
        if (_settings.UsesSasl)
        {
            frames.Add(FrameWriter.Request(Opcode.SaslListMechs, ++_opaque));
            _awaiting++;
        }
        _stage = Stage.Negotiating;
        return frames;
    }

    private void Negotiate(List<byte[]> frames)
    {
        // Stock memcached 1.6 answers an unknown command that has a key only after swallowing that many more
        // bytes of the stream, so HELLO to a memcached bucket carries no user agent (the key is optional).
        var agent = _settings.BucketType == BucketType.Memcached
            ? Array.Empty<byte>()
            : Encoding.UTF8.GetBytes(Hello.AgentKey(_settings.UserAgent, _connectionId));
        IReadOnlyList<HelloFeature> features = _settings.BucketType == BucketType.Couchbase ? RequestedForCouchbaseBuckets : Requested;
        if (_settings.ServerDuration && _settings.BucketType == BucketType.Couchbase)
            features = features.Append(HelloFeature.Tracing).ToArray(); // responses then carry the server duration
        frames.Add(FrameWriter.Request(Opcode.Hello, ++_opaque, key: agent, value: Hello.EncodeFeatures(features)));
        _awaiting = 1;
    }

    /// <summary>GET_ERROR_MAP goes out only once HELLO acknowledged XERROR: stock memcached never answers it.</summary>
    private void RequestErrorMap(List<byte[]> next)
    {
        Span<byte> version = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(version, 2);
        next.Add(FrameWriter.Request(Opcode.GetErrorMap, ++_opaque, value: version));
        _awaiting++;
    }

    /// <summary>Consumes one response; returns frames to send next (possibly none). Throws the reason the handshake failed.</summary>
    public List<byte[]> OnResponse(Frame frame, out bool done)
    {
        var next = new List<byte[]>(2);
        switch (_stage)
        {
            case Stage.Negotiating:
                if (frame.Opcode == Opcode.Hello && frame.Status == KvStatus.AuthError && _settings.UsesSasl)
                    throw new AuthenticateFirstException();
                OnNegotiation(frame, next);
                if (--_awaiting > 0) break;
                if (!_settings.UsesSasl || !StartAuthentication(next)) AfterAuthentication(next);
                break;
            case Stage.ListingMechanisms:
                OnNegotiation(frame, next);
                if (!StartAuthentication(next)) AfterAuthentication(next);
                break;
            case Stage.Authenticating when _scram is not null:
                if (frame.Status != KvStatus.AuthContinue) throw AuthFailed(frame.Status);
                var final = _scram.ClientFinal(Encoding.UTF8.GetString(frame.Value));
                next.Add(FrameWriter.Request(Opcode.SaslStep, ++_opaque, key: Encoding.ASCII.GetBytes(_mechanism!),
                    value: Encoding.UTF8.GetBytes(final)));
                _stage = Stage.ScramFinal;
                break;
            case Stage.Authenticating:
                if (frame.Status != KvStatus.Success) throw AuthFailed(frame.Status);
                AfterAuthentication(next);
                break;
            case Stage.ScramFinal:
                if (frame.Status != KvStatus.Success) throw AuthFailed(frame.Status);
                if (!_scram!.VerifyServerFinal(Encoding.UTF8.GetString(frame.Value)))
                    throw new KvAuthenticationException(
                        $"the server's SCRAM signature did not verify ({_mechanism}): it does not know this user's password");
                AfterAuthentication(next);
                break;
            case Stage.NegotiatingAfterAuth:
                OnNegotiation(frame, next);
                if (--_awaiting == 0) SelectBucket(next);
                break;
            case Stage.SelectingBucket:
                if (frame.Status != KvStatus.Success)
                    throw new KvAuthenticationException(frame.Status == KvStatus.NoAccess
                        ? $"bucket '{_settings.Bucket}' does not exist or user '{_settings.Username}' has no access to it"
                        : $"SELECT_BUCKET '{_settings.Bucket}' failed with status {frame.Status.Describe()}");
                if (_fetchConfig)
                {
                    next.Add(FrameWriter.Request(Opcode.GetClusterConfig, ++_opaque));
                    _stage = Stage.FetchingConfig;
                }
                else _stage = Stage.Done;
                break;
            case Stage.FetchingConfig:
                if (frame.Status == KvStatus.Success) ConfigJson = Encoding.UTF8.GetString(frame.Value);
                _stage = Stage.Done;
                break;
            default:
                throw new KvProtocolException($"unexpected {frame.Opcode} response after the handshake finished");
        }
        done = _stage == Stage.Done;
        return next;
    }

    private void OnNegotiation(Frame frame, List<byte[]> next)
    {
        switch (frame.Opcode)
        {
            case Opcode.Hello when frame.Status == KvStatus.Success:
                foreach (var f in Hello.DecodeFeatures(frame.Value)) Features.Add(f);
                if (Features.Contains(HelloFeature.XError)) RequestErrorMap(next);
                break;
            case Opcode.GetErrorMap when frame.Status == KvStatus.Success:
                try { ErrorMap = ErrorMap.Parse(Encoding.UTF8.GetString(frame.Value)); }
                catch (FormatException) { ErrorMap = null; }
                break;
            case Opcode.SaslListMechs when frame.Status == KvStatus.Success:
                _offeredMechanisms = Encoding.UTF8.GetString(frame.Value)
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                break;
            case Opcode.SaslListMechs when frame.Status == KvStatus.AuthError:
                _listMechsFailedAuth = true;
                break;
        }
    }

    /// <summary>Sends the first SASL message; false when the server has no SASL at all (memcached without -S).</summary>
    private bool StartAuthentication(List<byte[]> next)
    {
        if (_offeredMechanisms is null)
        {
            if (_listMechsFailedAuth) throw AuthFailed(KvStatus.AuthError);
            return false;
        }
        // Over TLS, PLAIN is safe (the password travels encrypted) and preferred: one round trip, no hashing.
        _mechanism = SaslMechanismSelector.Choose(_offeredMechanisms, _settings.AllowPlainAuth || _settings.Tls,
                preferPlain: _settings.Tls)
            ?? throw new KvAuthenticationException(
                $"the server offers SASL mechanisms [{string.Join(", ", _offeredMechanisms)}] and none is acceptable" +
                (_settings.AllowPlainAuth || _settings.Tls ? "" : " (PLAIN needs akka.couchbase.allow-plain-auth = on, or TLS)"));
        var mechKey = Encoding.ASCII.GetBytes(_mechanism);
        if (!ScramMechanismExtensions.TryParse(_mechanism, out var mechanism))
        {
            // The selector only ever picks a SCRAM mechanism or PLAIN.
            next.Add(FrameWriter.Request(Opcode.SaslAuth, ++_opaque, key: mechKey,
                value: PlainSasl.Encode(_settings.Username, _settings.Password)));
        }
        else
        {
            _scram = new ScramClient(mechanism, _settings.Username, _settings.Password);
            next.Add(FrameWriter.Request(Opcode.SaslAuth, ++_opaque, key: mechKey,
                value: Encoding.UTF8.GetBytes(_scram.ClientFirst())));
        }
        _stage = Stage.Authenticating;
        return true;
    }

    private void AfterAuthentication(List<byte[]> next)
    {
        if (_authenticateFirst)
        {
            Negotiate(next);
            _stage = Stage.NegotiatingAfterAuth;
            return;
        }
        SelectBucket(next);
    }

    private void SelectBucket(List<byte[]> next)
    {
        if (_settings.BucketType != BucketType.Couchbase)
        {
            _stage = Stage.Done;
            return;
        }
        next.Add(FrameWriter.Request(Opcode.SelectBucket, ++_opaque, key: Encoding.UTF8.GetBytes(_settings.Bucket)));
        _stage = Stage.SelectingBucket;
    }

    private KvAuthenticationException AuthFailed(KvStatus status) => new(
        $"authentication of user '{_settings.Username}' failed{(_mechanism is null ? "" : $" with {_mechanism}")}: " +
        $"server status {status.Describe()} (check the user name and password)");
}
