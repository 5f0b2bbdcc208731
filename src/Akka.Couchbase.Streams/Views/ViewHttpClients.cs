using System.Runtime.CompilerServices;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The HTTP clients of view queries, one per set of TLS rules (plain HTTP shares one; each client's
/// <see cref="TlsSettings"/> gets its own, living as long as those settings do). Their handler never drains a
/// response that is disposed before its end: the connection is closed at once, so a cancelled stream stops the
/// server instead of reading on for seconds to keep the connection (a response read to its end goes back to the pool).
/// </summary>
internal static class ViewHttpClients
{
    private static readonly Lazy<HttpClients.Entry> Plain = new(() => Create(TlsSettings.Disabled));
    private static readonly ConditionalWeakTable<TlsSettings, HttpClients.Entry> Secure = new();

    /// <summary>The client for <paramref name="tls"/>.</summary>
    public static HttpClients.Entry For(TlsSettings tls) =>
        tls.Enabled ? Secure.GetValue(tls, static t => Create(t)) : Plain.Value;

    private static HttpClients.Entry Create(TlsSettings tls)
    {
        var rules = new HttpTls(tls);
        // Pooled connections are renewed every two minutes, so a node's DNS change is seen.
        var handler = rules.CreateHandler(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2));
        handler.MaxResponseDrainSize = 0;
        handler.ResponseDrainTimeout = TimeSpan.Zero;
        return new HttpClients.Entry(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rules);
    }
}
