using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Akka.Actor;
using Akka.Couchbase.Routing;
using Akka.Event;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase.Actors;

/// <summary>
/// The cluster map over HTTP (spec §7.4), for clusters whose nodes do not serve it on the KV port
/// (GET_CLUSTER_CONFIG unsupported). Streams <c>GET /pools/default/bs/{bucket}</c> (the verbose
/// <c>/pools/default/bucketsStreaming/{bucket}</c> where that is not found) from one cluster manager endpoint, with
/// Basic auth, and hands every map pushed there (each is followed by four newlines) to the supervisor. When the
/// stream fails or ends, or brings no map within the handshake timeout of being opened (a server sends the
/// current map at once), it reopens it on the next endpoint after a jittered backoff. A healthy stream is also
/// reopened (on the next endpoint) every <c>http-bootstrap.reopen-interval</c>, so that a connection that went
/// silent without an error (half-open TCP, a stuck proxy) cannot hold the client on an old map for long. The HTTP reading runs as a
/// task outside the actor and reports back by message: the actor itself never waits.
/// </summary>
internal sealed class HttpConfigStream : UntypedActor, IWithTimers
{
    private const string Delimiter = "\n\n\n\n";

    /// <summary>A map read from the stream.</summary>
    private sealed record Received(long Stream, string Json, string Host) : INoSerializationVerificationNeeded;

    /// <summary>The stream failed or ended (a null reason: ended by the server).</summary>
    private sealed record Ended(long Stream, string Endpoint, string? Reason) : INoSerializationVerificationNeeded;

    private sealed class Reopen : INoSerializationVerificationNeeded
    {
        public static readonly Reopen Instance = new();
    }

    /// <summary>Time to reopen the healthy stream <paramref name="Stream"/>.</summary>
    private sealed record Refresh(long Stream) : INoSerializationVerificationNeeded;

    /// <summary>The stream opened <paramref name="Stream"/>-th has not brought a map in time.</summary>
    private sealed record FirstMapDue(long Stream, string Endpoint) : INoSerializationVerificationNeeded;

    private readonly CouchbaseSettings _settings;
    private readonly IReadOnlyList<(string Host, int Port)> _endpoints;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HttpClient _http;
    private readonly HttpTls _tls;
    private CancellationTokenSource? _current;
    private long _stream;
    private int _cursor;
    private int _attempt;
    private bool _gotMap;

    public HttpConfigStream(CouchbaseSettings settings, IReadOnlyList<(string Host, int Port)> endpoints)
    {
        _settings = settings;
        _endpoints = endpoints;
        _tls = new HttpTls(settings.Tls);
        _http = new HttpClient(_tls.CreateHandler(settings.ConnectTimeout, Timeout.InfiniteTimeSpan))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CouchbaseSettings settings, IReadOnlyList<(string Host, int Port)> endpoints) =>
        Akka.Actor.Props.Create(() => new HttpConfigStream(settings, endpoints)).WithDispatcher(settings.Dispatcher);

    protected override void PreStart() => Open();

    protected override void PostStop()
    {
        _current?.Cancel();
        _current?.Dispose();
        _http.Dispose();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Received received when received.Stream == _stream:
                _attempt = 0;
                _gotMap = true;
                Context.Parent.Tell(new NodeMessages.HttpConfigFetched(received.Json, received.Host));
                break;
            case Ended ended when ended.Stream == _stream:
                var delay = Backoff.Next(_attempt++, _settings.ReconnectMinBackoff, _settings.ReconnectMaxBackoff,
                    _settings.ReconnectJitter);
                var why = ended.Reason ?? "the server ended it";
                _log.Info("Cluster map stream from {0} closed ({1}); reopening in {2}ms", ended.Endpoint, why,
                    (long)delay.TotalMilliseconds);
                Context.Parent.Tell(new NodeMessages.HttpConfigFailed($"cluster map stream from {ended.Endpoint}: {why}"));
                Timers.StartSingleTimer("reopen", Reopen.Instance, delay);
                break;
            case FirstMapDue due when due.Stream == _stream && !_gotMap:
                _current?.Cancel(); // its reader ends quietly; this stream is reported as failed here
                Self.Tell(new Ended(_stream, due.Endpoint,
                    $"no cluster map within {_settings.HandshakeTimeout.TotalMilliseconds}ms of opening the stream"));
                break;
            case Received or Ended or FirstMapDue:
                break; // from a stream that was already replaced
            case Reopen:
                Open();
                break;
            case Refresh refresh when refresh.Stream == _stream:
                _log.Debug("Reopening the cluster map stream (reopen-interval)");
                Open();
                break;
            case Refresh:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Open()
    {
        _current?.Cancel();
        _current?.Dispose();
        _current = new CancellationTokenSource();
        var stream = ++_stream;
        _gotMap = false;
        var (host, port) = _endpoints[_cursor++ % _endpoints.Count];
        Timers.StartSingleTimer("first-map", new FirstMapDue(stream, HostPort.Format(host, port)), _settings.HandshakeTimeout);
        if (_settings.HttpBootstrapReopenInterval > TimeSpan.Zero)
            Timers.StartSingleTimer("refresh", new Refresh(stream), _settings.HttpBootstrapReopenInterval);
        _ = ReadAsync(Self, stream, host, port, _current.Token);
    }

    private async Task ReadAsync(IActorRef self, long stream, string host, int port, CancellationToken ct)
    {
        var endpoint = HostPort.Format(host, port);
        // The span of the bootstrap: from opening the stream to its first map (or its failure).
        var span = Observability.HttpSpans.Start("http_bootstrap", "mgmt", new Uri($"{_tls.Scheme}://{endpoint}/pools/default/bs/{Uri.EscapeDataString(_settings.Bucket)}"), _settings.Bucket);
        try
        {
            using var response = await OpenAsync(host, port, ct).ConfigureAwait(false);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var pending = new StringBuilder();
            var buffer = new char[8192];
            while (true)
            {
                var n = await reader.ReadAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                if (n == 0) break;
                pending.Append(buffer, 0, n);
                if (TakeConfigs(self, stream, pending, host) && span is not null)
                {
                    Observability.HttpSpans.Stop(span, null);
                    span = null;
                }
                if (pending.Length > _settings.MaxResponseBody)
                    throw new HttpRequestException(
                        $"a cluster map of over {_settings.MaxResponseBody} characters (akka.couchbase.max-response-body)");
            }
            if (span is not null) Observability.HttpSpans.Stop(span, null, new HttpRequestException("the stream ended before its first map"));
            span = null;
            self.Tell(new Ended(stream, endpoint, null));
        }
        catch (OperationCanceledException e) when (ct.IsCancellationRequested)
        {
            // Replaced or stopped: nobody waits for this stream any more.
            Observability.HttpSpans.Stop(span, null, e);
        }
        catch (Exception e)
        {
            Observability.HttpSpans.Stop(span, null, e);
            self.Tell(new Ended(stream, endpoint, _tls.Explain(e, new Uri($"{_tls.Scheme}://{endpoint}/"))));
        }
    }

    /// <summary>Sends every whole map in <paramref name="pending"/> to the actor; true if there was one.</summary>
    private static bool TakeConfigs(IActorRef self, long stream, StringBuilder pending, string host)
    {
        var any = false;
        while (true)
        {
            var text = pending.ToString();
            var end = text.IndexOf(Delimiter, StringComparison.Ordinal);
            if (end < 0) return any;
            var json = text.Substring(0, end).Trim();
            pending.Remove(0, end + Delimiter.Length);
            if (json.Length <= 0) continue;
            self.Tell(new Received(stream, json, host));
            any = true;
        }
    }

    /// <summary>The terse streaming URI, or the verbose one if the server does not know the terse one.</summary>
    private async Task<HttpResponseMessage> OpenAsync(string host, int port, CancellationToken ct)
    {
        var bucket = Uri.EscapeDataString(_settings.Bucket);
        var response = await GetAsync(host, port, $"/pools/default/bs/{bucket}", ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            response = await GetAsync(host, port, $"/pools/default/bucketsStreaming/{bucket}", ct).ConfigureAwait(false);
        }
        if (response.IsSuccessStatusCode) return response;
        var status = (int)response.StatusCode;
        response.Dispose();
        throw new HttpRequestException(status switch
        {
            401 or 403 => $"HTTP {status}: user '{_settings.Username}' was refused by the cluster manager",
            404 => $"HTTP 404: no bucket '{_settings.Bucket}'",
            _ => $"HTTP {status}",
        });
    }

    private Task<HttpResponseMessage> GetAsync(string host, int port, string path, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{_tls.Scheme}://{HostPort.Format(host, port)}{path}"));
        if (_settings.Username.Length > 0 && !_settings.UsesCertificateAuth)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_settings.Username}:{_settings.Password}")));
        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }
}
