using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Actors;

/// <summary>The handshake of each new connection (HELLO, SASL, SELECT_BUCKET, the first map): see <see cref="Handshake"/>.</summary>
internal sealed partial class NodeConnection
{
    private Handshake? _handshake;
    private bool _authenticateFirst;

    private void OnHandshakeFrame(Frame frame)
    {
        var handshake = _handshake!;
        if (_log.IsDebugEnabled) _log.Debug("Handshake with {0}: {1}", _name, frame);
        try
        {
            if (frame.Opaque > handshake.LastOpaque)
                throw new KvProtocolException($"unexpected response (opaque {frame.Opaque}) during the handshake");
            var next = handshake.OnResponse(frame, out var done);
            foreach (var f in next) _outbox.AddRaw(f);
            if (next.Count > 0) Flush();
            if (done) OnReady(handshake);
        }
        catch (Handshake.AuthenticateFirstException e)
        {
            // memcached with SASL closes the socket after refusing HELLO: reconnect and authenticate first.
            _authenticateFirst = true;
            _reconnectAttempt = -1;
            OnLost(e);
        }
        catch (CouchbaseException e)
        {
            HandshakeFailed(e);
        }
        catch (FormatException e)
        {
            HandshakeFailed(new KvAuthenticationException($"SASL exchange with {_name} failed: {e.Message}"));
        }
        catch (ProtocolException e)
        {
            // A reply the handshake cannot read (a HELLO of odd length...): the connection fails, not the actor.
            ProtocolFailure($"during the handshake: {e.Message}");
        }
    }

    private void OnReady(Handshake handshake)
    {
        Timers.Cancel("handshake");
        _state = State.Ready;
        Observability.KvTelemetry.Count(Observability.Instruments.ConnectionsOpened, _telemetry);
        _readySince = Stopwatch.GetTimestamp(); // the backoff starts over only once this connection has proven itself
        _lastError = null;
        _jsonNegotiated = handshake.Features.Contains(HelloFeature.Json);
        _collectionsNegotiated = handshake.Features.Contains(HelloFeature.Collections);
        _negotiated = handshake.Features;
        _errorMap = handshake.ErrorMap;
        if (_log.IsDebugEnabled)
            _log.Debug("Connected to {0}: features [{1}], sasl {2}", _name, string.Join(",", handshake.Features),
                handshake.Mechanism ?? "none");
        Context.Parent.Tell(new NodeMessages.Ready(_nodeIndex, _name, handshake.ConfigJson, handshake.Features.ToArray()));
        _handshake = null;
        Pump();
    }

    private void HandshakeFailed(CouchbaseException e)
    {
        if (e is KvAuthenticationException)
        {
            // Waiting would only end in timeouts: tell everyone now.
            foreach (var request in _waiting) request.Fail(new KvAuthenticationException(e.Message, request.Context(0, QueueDepth)));
            _waiting.Clear();
        }
        OnLost(e);
    }
}
