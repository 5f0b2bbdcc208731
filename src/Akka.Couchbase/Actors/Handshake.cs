using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Protocol.Sasl;

namespace Akka.Couchbase.Actors;

/// <summary>
/// The per-connection bootstrap of spec §7.1 as a pure state machine: HELLO, GET_ERROR_MAP and SASL_LIST_MECHS
/// pipelined, then SASL (SCRAM-SHA512/256/1, PLAIN only where allowed), SELECT_BUCKET and GET_CLUSTER_CONFIG for
/// Couchbase buckets. It adapts to what the server supports: stock memcached answers HELLO and GET_ERROR_MAP with
/// unknown-command (or an auth error when SASL is on), and the handshake carries on without features.
/// </summary>
internal sealed class Handshake
{
    private static readonly HelloFeature[] Requested =
    {
        HelloFeature.XError, HelloFeature.SelectBucket, HelloFeature.Json, HelloFeature.MutationSeqno,
        HelloFeature.TcpNoDelay,
    };

    private readonly CouchbaseSettings _settings;
    private readonly string _connectionId;
    private readonly bool _fetchConfig;
    private uint _opaque;
    private int _awaiting;
    private ScramClient? _scram;
    private string? _mechanism;
    private IReadOnlyList<string>? _offeredMechanisms;
    private bool _listMechsFailedAuth;

    public Handshake(CouchbaseSettings settings, string connectionId, bool fetchConfig)
    {
        _settings = settings;
        _connectionId = connectionId;
        _fetchConfig = fetchConfig && settings.BucketType == BucketType.Couchbase;
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

    private Stage _stage;

    private enum Stage { Negotiating, Authenticating, ScramFinal, SelectingBucket, FetchingConfig, Done }

    /// <summary>The first pipelined batch.</summary>
    public List<byte[]> Start()
    {
        var frames = new List<byte[]>(3);
        var agent = Encoding.UTF8.GetBytes(Hello.AgentKey(_settings.UserAgent, _connectionId));
        frames.Add(FrameWriter.Request(Opcode.Hello, ++_opaque, key: agent, value: Hello.EncodeFeatures(Requested)));
        Span<byte> version = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(version, 2);
        frames.Add(FrameWriter.Request(Opcode.GetErrorMap, ++_opaque, value: version));
        _awaiting = 2;
        if (_settings.Username.Length > 0)
        {
            frames.Add(FrameWriter.Request(Opcode.SaslListMechs, ++_opaque));
            _awaiting++;
        }
        _stage = Stage.Negotiating;
        return frames;
    }

    /// <summary>Consumes one response; returns frames to send next (possibly none), or throws the reason the handshake failed.</summary>
    /// <param name="frame">A response whose opaque is at or below <see cref="LastOpaque"/>.</param>
    /// <param name="done">Set when the connection is ready.</param>
    public List<byte[]> OnResponse(Frame frame, out bool done)
    {
        done = false;
        var next = new List<byte[]>(1);
        switch (_stage)
        {
            case Stage.Negotiating:
                OnNegotiation(frame);
                if (--_awaiting > 0) return next;
                if (_settings.Username.Length > 0 && StartAuthentication(next)) return next;
                break;
            case Stage.Authenticating:
                if (_scram is not null)
                {
                    if (frame.Status != KvStatus.AuthContinue) throw AuthFailed(frame.Status);
                    var final = _scram.ClientFinal(Encoding.UTF8.GetString(frame.Value));
                    next.Add(FrameWriter.Request(Opcode.SaslStep, ++_opaque, key: Encoding.ASCII.GetBytes(_mechanism!),
                        value: Encoding.UTF8.GetBytes(final)));
                    _stage = Stage.ScramFinal;
                    return next;
                }
                if (frame.Status != KvStatus.Success) throw AuthFailed(frame.Status);
                break;
            case Stage.ScramFinal:
                if (frame.Status != KvStatus.Success) throw AuthFailed(frame.Status);
                if (!_scram!.VerifyServerFinal(Encoding.UTF8.GetString(frame.Value)))
                    throw new KvAuthenticationException(
                        $"the server's SCRAM signature did not verify ({_mechanism}); it does not know this user's password");
                break;
            case Stage.SelectingBucket:
                if (frame.Status != KvStatus.Success)
                    throw new KvAuthenticationException(frame.Status == KvStatus.NoAccess
                        ? $"bucket '{_settings.Bucket}' does not exist or user '{_settings.Username}' has no access to it"
                        : $"SELECT_BUCKET '{_settings.Bucket}' failed with status {frame.Status.Describe()}");
                if (_fetchConfig) return FetchConfig(next);
                _stage = Stage.Done;
                done = true;
                return next;
            case Stage.FetchingConfig:
                if (frame.Status == KvStatus.Success) ConfigJson = Encoding.UTF8.GetString(frame.Value);
                _stage = Stage.Done;
                done = true;
                return next;
            default:
                throw new KvProtocolException($"unexpected {frame.Opcode} response after the handshake finished");
        }

        // Authentication finished (or was not needed).
        if (_settings.BucketType == BucketType.Couchbase)
        {
            next.Add(FrameWriter.Request(Opcode.SelectBucket, ++_opaque, key: Encoding.UTF8.GetBytes(_settings.Bucket)));
            _stage = Stage.SelectingBucket;
            return next;
        }
        _stage = Stage.Done;
        done = true;
        return next;
    }

    private void OnNegotiation(Frame frame)
    {
        switch (frame.Opcode)
        {
            case Opcode.Hello when frame.Status == KvStatus.Success:
                foreach (var f in Hello.DecodeFeatures(frame.Value)) Features.Add(f);
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

    private bool StartAuthentication(List<byte[]> next)
    {
        if (_offeredMechanisms is null)
        {
            // The server has no SASL (memcached without -S): nothing to authenticate against.
            if (_listMechsFailedAuth) throw AuthFailed(KvStatus.AuthError);
            return false;
        }
        _mechanism = SaslMechanismSelector.Choose(_offeredMechanisms, _settings.AllowPlainAuth)
            ?? throw new KvAuthenticationException(
                $"the server offers SASL mechanisms [{string.Join(", ", _offeredMechanisms)}] and none is acceptable " +
                (_settings.AllowPlainAuth ? "" : "(PLAIN needs akka.couchbase.allow-plain-auth = on) "));
        var mechKey = Encoding.ASCII.GetBytes(_mechanism);
        if (_mechanism == "PLAIN")
        {
            next.Add(FrameWriter.Request(Opcode.SaslAuth, ++_opaque, key: mechKey,
                value: PlainSasl.Encode(_settings.Username, _settings.Password)));
        }
        else
        {
            var mechanism = _mechanism switch
            {
                "SCRAM-SHA512" => ScramMechanism.Sha512,
                "SCRAM-SHA256" => ScramMechanism.Sha256,
                _ => ScramMechanism.Sha1,
            };
            _scram = new ScramClient(mechanism, _settings.Username, _settings.Password);
            next.Add(FrameWriter.Request(Opcode.SaslAuth, ++_opaque, key: mechKey,
                value: Encoding.UTF8.GetBytes(_scram.ClientFirst())));
        }
        _stage = Stage.Authenticating;
        return true;
    }

    private List<byte[]> FetchConfig(List<byte[]> next)
    {
        next.Add(FrameWriter.Request(Opcode.GetClusterConfig, ++_opaque));
        _stage = Stage.FetchingConfig;
        return next;
    }

    private KvAuthenticationException AuthFailed(KvStatus status) => new(
        $"authentication of user '{_settings.Username}' failed{(_mechanism is null ? "" : $" with {_mechanism}")}: " +
        $"server status {status.Describe()} (check the user name and password)");
}
