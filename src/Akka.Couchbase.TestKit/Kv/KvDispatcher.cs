using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// Executes the requests of one KV connection, in order, writing replies into a <see cref="KvResponder"/>.
/// Session commands (HELLO, SASL, SELECT_BUCKET, config, error map) live here; document commands in
/// <c>KvDispatcher.Documents.cs</c>.
/// </summary>
internal sealed partial class KvDispatcher
{
    private static readonly HelloFeature[] Supported =
    {
        HelloFeature.TcpNoDelay, HelloFeature.MutationSeqno, HelloFeature.XError, HelloFeature.SelectBucket,
        HelloFeature.Json, HelloFeature.GetClusterConfigWithKnownVersion, HelloFeature.DedupeNotMyVbucketClustermap,
        HelloFeature.Duplex, HelloFeature.ClustermapChangeNotification, HelloFeature.ClustermapChangeNotificationBrief,
        HelloFeature.Collections,
        HelloFeature.Xattr, HelloFeature.Tracing,
    };

    private readonly ClusterModel _cluster;
    private readonly InProcessNode _node;
    private readonly KvSession _s;
    private readonly KvResponder _r;
    private readonly long _connectionId;

    public KvDispatcher(ClusterModel cluster, InProcessNode node, KvResponder responder)
    {
        _cluster = cluster;
        _node = node;
        _r = responder;
        _connectionId = cluster.NextConnectionId();
        _s = new KvSession(new SaslServer(cluster.Credentials, cluster.Options.SaslMechanisms));
    }

    /// <summary>
    /// The TLS handshake presented a client certificate naming <paramref name="user"/> (X.509 authentication): the
    /// session is that user's from the start, without SASL.
    /// </summary>
    public void AuthenticateByCertificate(string user)
    {
        _s.User = user;
        _cluster.Authentications.AddOrUpdate(CertificateMechanism, 1, (_, n) => n + 1);
    }

    /// <summary>The name <see cref="InProcessCluster.SuccessfulAuthentications"/> counts certificate logins under.</summary>
    public const string CertificateMechanism = "X.509";

    /// <summary>Handles one request; false means "flush and close the connection".</summary>
    public bool Handle(Frame f)
    {
        if (f.Magic == Magic.ServerResponse) return true; // a reply to a push; nothing to do
        if (f.Magic is not (Magic.Request or Magic.AltRequest)) return false;
        _r.Began = System.Diagnostics.Stopwatch.GetTimestamp();
        _cluster.CommandLog.Record(f, _node.Index, _connectionId, _s.Bucket?.Name, _s.Collections);
        if (f.Opcode is not (Opcode.Quit or Opcode.QuitQ) && !IsKeyed(Normalize(f.Opcode).Base)
            && _cluster.ForcedStatuses.Match(Normalize(f.Opcode).Base, null, _node.Index, _s.Bucket?.Name) is { } forced)
        {
            if (!forced.NoReply) _r.Reply(f, forced.Status);
            return true;
        }
        switch (f.Opcode)
        {
            case Opcode.Hello: Hello(f); return true;
            case Opcode.Noop: _r.Reply(f, KvStatus.Success); return true;
            case Opcode.Version: _r.Reply(f, KvStatus.Success, value: Encoding.ASCII.GetBytes(_cluster.Options.Version)); return true;
            case Opcode.Verbosity: _r.Reply(f, KvStatus.Success); return true;
            case Opcode.Quit: _r.Reply(f, KvStatus.Success); return false;
            case Opcode.QuitQ: return false;
            case Opcode.Stat: Stat(f); return true;
            case Opcode.SaslListMechs: _r.Reply(f, KvStatus.Success, value: Encoding.ASCII.GetBytes(_s.Sasl.MechanismList)); return true;
            case Opcode.SaslAuth: Sasl(f, start: true); return true;
            case Opcode.SaslStep: Sasl(f, start: false); return true;
            case Opcode.SelectBucket: SelectBucket(f); return true;
            case Opcode.GetErrorMap: GetErrorMap(f); return true;
            case Opcode.GetClusterConfig: GetClusterConfig(f); return true;
            // collections (KvDispatcher.Collections.cs)
            case Opcode.GetCollectionsManifest: GetCollectionsManifest(f); return true;
            case Opcode.GetCollectionId: GetCollectionId(f); return true;
            case CollectionOpcodes.GetScopeId: GetScopeId(f); return true;
            default: Document(f); return true;
        }
    }

    private void Hello(Frame f)
    {
        var value = f.Value;
        var requested = new List<HelloFeature>();
        for (var i = 0; i + 1 < value.Length; i += 2)
            requested.Add((HelloFeature)BinaryPrimitives.ReadUInt16BigEndian(value.Slice(i)));
        if (!requested.Contains(HelloFeature.Duplex) && (requested.Contains(HelloFeature.ClustermapChangeNotification)
                || requested.Contains(HelloFeature.ClustermapChangeNotificationBrief)))
        {
            _r.Reply(f, KvStatus.InvalidArguments);
            return;
        }
        var acked = new List<HelloFeature>();
        lock (_cluster.Sync)
        {
            _s.Features.Clear();
            foreach (var feature in requested)
                if (Array.IndexOf(Supported, feature) >= 0 && _s.Features.Add(feature)) acked.Add(feature);
            // the brief form wins when both are asked for (spec §2.6)
            if (_s.Features.Contains(HelloFeature.ClustermapChangeNotificationBrief) && _s.Features.Remove(HelloFeature.ClustermapChangeNotification))
                acked.Remove(HelloFeature.ClustermapChangeNotification);
        }
        var reply = new byte[acked.Count * 2];
        for (var i = 0; i < acked.Count; i++) BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(i * 2), (ushort)acked[i]);
        _r.Reply(f, KvStatus.Success, value: reply);
        _r.Tracing = _s.Features.Contains(HelloFeature.Tracing); // from the next response on
    }

    /// <summary>
    /// The ClustermapChangeNotification frame (magic 0x82, opcode 0x01) to push after a topology change, or null
    /// when this connection did not ask for pushes or already has the current map. Call under the cluster lock.
    /// </summary>
    public byte[]? BuildPush()
    {
        var brief = _s.Features.Contains(HelloFeature.ClustermapChangeNotificationBrief);
        if (!brief && !_s.Features.Contains(HelloFeature.ClustermapChangeNotification)) return null;
        if (_s.User is null || _s.KnownRev >= _cluster.Rev) return null;
        var bucket = _s.Bucket;
        if (bucket is { Type: BucketType.Memcached }) return null;
        var extras = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(extras, _cluster.RevEpoch);
        BinaryPrimitives.WriteInt64BigEndian(extras.AsSpan(8), _cluster.Rev);
        var key = bucket is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(bucket.Name);
        var value = brief ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(ConfigBuilder.ToJson(bucket is null
            ? ConfigBuilder.Global(_cluster, _node, placeholder: true)
            : ConfigBuilder.Terse(_cluster, bucket, _node, placeholder: true)));
        if (!brief) _s.KnownRev = _cluster.Rev;
        var frame = new byte[FrameWriter.Size(0, extras.Length, key.Length, value.Length)];
        FrameWriter.Write(frame, Magic.ServerRequest, (Opcode)0x01, value.Length > 0 && _s.Json ? DataType.Json : DataType.Raw,
            0, 0, 0, default, extras, key, value);
        return frame;
    }

    private void Stat(Frame f)
    {
        if (f.KeyLength == 0)
        {
            void One(string k, string v) => _r.Reply(f, KvStatus.Success, key: Encoding.ASCII.GetBytes(k), value: Encoding.ASCII.GetBytes(v));
            One("pid", Environment.ProcessId.ToString());
            One("version", _cluster.Options.Version);
            One("uptime", ((long)(DateTimeOffset.UtcNow - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalSeconds).ToString());
            One("time", _cluster.Clock.UnixSeconds.ToString());
            if (_s.Bucket is { } b) One("curr_items", b.Count.ToString());
        }
        _r.Reply(f, KvStatus.Success);
    }

    private void Sasl(Frame f, bool start)
    {
        var mechanism = f.KeyString;
        var (status, payload) = start
            ? _s.Sasl.Start(mechanism, f.Value.ToArray(), out var user)
            : _s.Sasl.Step(mechanism, f.Value.ToArray(), out user);
        if (status == KvStatus.Success)
        {
            _s.User = user;
            _cluster.Authentications.AddOrUpdate(mechanism, 1, (_, n) => n + 1);
        }
        else if (status == KvStatus.AuthError)
        {
            _s.User = null;
            _s.Bucket = null;
        }
        _r.Reply(f, status, value: payload);
    }

    private void SelectBucket(Frame f)
    {
        var name = f.KeyString;
        if (name == "@no bucket@")
        {
            _s.Bucket = null;
            _r.Reply(f, KvStatus.Success);
            return;
        }
        if (_s.User is null)
        {
            _r.Reply(f, KvStatus.NoAccess);
            return;
        }
        lock (_cluster.Sync)
        {
            if (!_cluster.Buckets.TryGetValue(name, out var bucket))
            {
                _r.Reply(f, KvStatus.NoAccess);
                return;
            }
            _s.Bucket = bucket;
            _s.KnownRev = -1;
        }
        _r.Reply(f, KvStatus.Success);
    }

    private void GetErrorMap(Frame f)
    {
        if (f.ValueLength != 2)
        {
            _r.Reply(f, KvStatus.InvalidArguments);
            return;
        }
        var version = BinaryPrimitives.ReadUInt16BigEndian(f.Value);
        if (version == 0)
        {
            _r.Reply(f, KvStatus.InvalidArguments);
            return;
        }
        _r.Reply(f, KvStatus.Success, value: Encoding.UTF8.GetBytes(ErrorMap.Json(Math.Min((int)version, 2))),
            dataType: _s.Json ? DataType.Json : DataType.Raw);
    }

    private void GetClusterConfig(Frame f)
    {
        string json;
        lock (_cluster.Sync)
        {
            if (!_cluster.CccpEnabled)
            {
                _r.Reply(f, KvStatus.NotSupported);
                return;
            }
            if (_s.Bucket is { } bucket)
            {
                if (bucket.Type == BucketType.Memcached)
                {
                    _r.Reply(f, KvStatus.NotSupported);
                    return;
                }
                if (f.ExtrasLength == 16 && _s.Features.Contains(HelloFeature.GetClusterConfigWithKnownVersion))
                {
                    var epoch = BinaryPrimitives.ReadInt64BigEndian(f.Extras);
                    var rev = BinaryPrimitives.ReadInt64BigEndian(f.Extras.Slice(8));
                    var clientRev = epoch > _cluster.RevEpoch ? long.MaxValue : epoch < _cluster.RevEpoch ? -1 : rev;
                    _s.KnownRev = Math.Max(_s.KnownRev, clientRev);
                    if (clientRev >= _cluster.Rev)
                    {
                        _r.Reply(f, KvStatus.Success);
                        return;
                    }
                }
                else if (f.ExtrasLength != 0)
                {
                    _r.Reply(f, KvStatus.InvalidArguments);
                    return;
                }
                json = ConfigBuilder.ToJson(ConfigBuilder.Terse(_cluster, bucket, _node, placeholder: true));
                _s.KnownRev = Math.Max(_s.KnownRev, _cluster.Rev);
            }
            else if (_s.User is null)
            {
                _r.Reply(f, KvStatus.NoAccess);
                return;
            }
            else
            {
                json = ConfigBuilder.ToJson(ConfigBuilder.Global(_cluster, _node, placeholder: true));
            }
        }
        _r.Reply(f, KvStatus.Success, value: Encoding.UTF8.GetBytes(json), dataType: _s.Json ? DataType.Json : DataType.Raw);
    }

    /// <summary>NOT_MY_VBUCKET with the current map as the body (unless CCCP is off). Call under the lock.</summary>
    private void NotMyVBucket(Frame f, InProcessBucket bucket)
    {
        if (!_cluster.CccpEnabled)
        {
            _r.Reply(f, KvStatus.NotMyVBucket);
            return;
        }
        if (_s.Features.Contains(HelloFeature.DedupeNotMyVbucketClustermap) && _s.KnownRev >= _cluster.Rev)
        {
            _r.Reply(f, KvStatus.NotMyVBucket);
            return;
        }
        _s.KnownRev = Math.Max(_s.KnownRev, _cluster.Rev);
        var json = ConfigBuilder.ToJson(ConfigBuilder.Terse(_cluster, bucket, _node, placeholder: true));
        _r.Reply(f, KvStatus.NotMyVBucket, value: Encoding.UTF8.GetBytes(json), dataType: _s.Json ? DataType.Json : DataType.Raw);
    }
}
