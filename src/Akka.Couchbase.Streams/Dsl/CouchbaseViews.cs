using Akka.Actor;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.Transport;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// View queries as Akka.Streams sources. <c>Query</c> streams rows with backpressure (the original's
/// <c>queryEx</c>: rows arrive as they are read, only as fast as the consumer pulls); <c>QueryAllAsync</c> is the
/// same source run to a list (the original's <c>queryAll</c>), with <c>total_rows</c>.
/// </summary>
public static class CouchbaseViews
{
    /// <summary>
    /// A source of the query's rows, queried from the views endpoints of the client's newest cluster map (round robin),
    /// with the client's credentials. Its materialized value completes with the response's <see cref="ViewMetadata"/>.
    /// Each materialization sends the query again.
    /// </summary>
    /// <exception cref="ArgumentException">The query's parameters contradict each other (nothing is sent).</exception>
    public static Source<ViewRow, Task<ViewMetadata>> Query(CouchbaseClient client, ViewQuery query, ViewSettings? settings = null)
    {
        if (client is null) throw new ArgumentNullException(nameof(client));
        query = (query ?? throw new ArgumentNullException(nameof(query))).Validate();
        settings ??= new ViewSettings();
        // A client that authenticates by its TLS certificate sends no Basic auth: the certificate names the user.
        var user = settings.Username ?? (client.Settings.UsesCertificateAuth ? null : client.Settings.Username);
        var password = settings.Password ?? client.Settings.Password;
        var http = HttpClients.For(client.Settings.Tls);
        return Source.FromGraph(new ViewRowSourceStage(async ct =>
        {
            var endpoints = settings.Endpoints ?? await ViewsEndpointsAsync(client, settings, ct).ConfigureAwait(false);
            return await ViewHttp.OpenAsync(http, endpoints, query, settings, user, password, ct).ConfigureAwait(false);
        }));
    }

    /// <summary>
    /// A source of the query's rows from the views base URLs in <see cref="ViewSettings.Endpoints"/> (for example a
    /// CouchDB-compatible server: <c>http://host:5984/db</c>), with the credentials in the settings.
    /// </summary>
    public static Source<ViewRow, Task<ViewMetadata>> Query(ViewQuery query, ViewSettings settings)
    {
        query = (query ?? throw new ArgumentNullException(nameof(query))).Validate();
        if (settings?.Endpoints is not { Count: > 0 } endpoints)
            throw new ArgumentException("settings.Endpoints must name at least one views base URL", nameof(settings));
        return Source.FromGraph(new ViewRowSourceStage(ct =>
            ViewHttp.OpenAsync(HttpClients.For(TlsSettings.Disabled), endpoints, query, settings, settings.Username,
                settings.Password, ct)));
    }

    /// <summary>Runs <see cref="Query(CouchbaseClient, ViewQuery, ViewSettings?)"/> to the end and returns every row with the metadata (the original's <c>queryAll</c>).</summary>
    public static async Task<ViewQueryResult> QueryAllAsync(this CouchbaseClient client, ViewQuery query,
        IMaterializer materializer, ViewSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var ((metadata, killSwitch), rows) = Query(client, query, settings)
            .ViaMaterialized(KillSwitches.Single<ViewRow>(), Keep.Both)
            .ToMaterialized(Sink.Seq<ViewRow>(), Keep.Both)
            .Run(materializer);
        using var registration = cancellationToken.Register(() => killSwitch.Abort(new OperationCanceledException(cancellationToken)));
        var all = await rows.ConfigureAwait(false);
        return new ViewQueryResult(all, await metadata.ConfigureAwait(false));
    }

    /// <summary><see cref="QueryAllAsync(CouchbaseClient, ViewQuery, IMaterializer, ViewSettings?, CancellationToken)"/> with the system's shared materializer and <c>akka.couchbase.views</c> settings.</summary>
    public static Task<ViewQueryResult> QueryAllAsync(this CouchbaseClient client, ActorSystem system, ViewQuery query,
        CancellationToken cancellationToken = default) =>
        client.QueryAllAsync(query, system.Materializer(), ViewSettings.Create(system), cancellationToken);

    private static async Task<IReadOnlyList<Uri>> ViewsEndpointsAsync(CouchbaseClient client, ViewSettings settings,
        CancellationToken ct)
    {
        if (client.Settings.BucketType != BucketType.Couchbase)
            throw new ViewQueryException("views need a Couchbase bucket; this client opens a memcached bucket");
        var map = client.CurrentMap;
        if (map is null)
        {
            try
            {
                map = await client.FirstMap.WaitAsync(settings.Timeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new ViewQueryException(
                    $"the client has no cluster map after {settings.Timeout.TotalMilliseconds}ms, so no views endpoint is known");
            }
        }
        return map.ViewsEndpoints;
    }
}
