using System.Runtime.CompilerServices;

namespace Akka.Couchbase.Transport;

/// <summary>
/// One <see cref="HttpClient"/> per set of TLS rules, for view queries: plain HTTP shares one client; each client's
/// <see cref="TlsSettings"/> gets its own, which lives as long as those settings do. Their handler never drains a
/// response that is disposed before its end: the connection is closed at once, so a cancelled stream stops the
/// server instead of reading on for seconds to keep the connection (a response read to its end goes back to the pool).
/// </summary>
internal static class HttpClients
{
    /// <summary>An HTTP client and the TLS rules it applies (whose <see cref="HttpTls.Explain"/> names failures).</summary>
    internal sealed record Entry(HttpClient Client, HttpTls Tls);

    private static readonly Lazy<Entry> Plain = new(() => Create(TlsSettings.Disabled));
    private static readonly ConditionalWeakTable<TlsSettings, Entry> Secure = new();

    /// <summary>The client for <paramref name="tls"/>.</summary>
    public static Entry For(TlsSettings tls) =>
        tls.Enabled ? Secure.GetValue(tls, static t => Create(t)) : Plain.Value;

    private static Entry Create(TlsSettings tls)
    {
        var rules = new HttpTls(tls);
        // Pooled connections are renewed every two minutes, so a node's DNS change is seen.
        var handler = rules.CreateHandler(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2));
        handler.MaxResponseDrainSize = 0;
        handler.ResponseDrainTimeout = TimeSpan.Zero;
        // Each view query gets its span, duration and slow-query report entry (docs/observability.md).
        return new Entry(new HttpClient(new Observability.ViewRequestHandler(handler)) { Timeout = Timeout.InfiniteTimeSpan }, rules);
    }
}
