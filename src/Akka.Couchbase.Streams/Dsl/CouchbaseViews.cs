using Akka.Actor;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.Transport;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// View queries as Akka.Streams stages. <c>Query</c> streams rows with backpressure (the original's <c>queryEx</c>:
/// rows arrive as they are read, only as fast as the consumer pulls); <c>QueryAllAsync</c> is the same source run
/// to a list (the original's <c>queryAll</c>), with <c>total_rows</c>; <c>ToActor</c> / <c>QueryToActor</c> deliver
/// rows to an actor in acknowledged batches (the original's row handler); <c>IncludeDocuments</c> /
/// <c>QueryWithDocuments</c> add each row's document, read through KV (<c>include_docs</c>).
/// </summary>
/// <remarks>
/// Every method checks its arguments when it is called, before any stream exists or anything is sent, and the same
/// way: a bad parameter or setting (a negative limit, contradicting parameters, a key that is no JSON, a timeout
/// that is not positive) throws <see cref="ArgumentException"/> with a message that starts <c>view design/view:</c>.
/// What the server or the network does wrong fails the stream (or the task) with a <see cref="ViewQueryException"/>.
/// </remarks>
public static partial class CouchbaseViews
{
    /// <summary>
    /// A source of the query's rows, queried from the views endpoints of the client's newest cluster map (round robin),
    /// with the client's credentials. Its materialized value completes with the response's <see cref="ViewMetadata"/>.
    /// Each materialization sends the query again. Cancelling the stream closes the response's connection at once;
    /// a server that sends nothing for <see cref="ViewSettings.IdleTimeout"/> fails it.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or setting cannot be used (nothing is sent).</exception>
    public static Source<ViewRow, Task<ViewMetadata>> Query(CouchbaseClient client, ViewQuery query, ViewSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        query = ViewArguments.Check(query, settings);
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
    /// <exception cref="ArgumentException">A parameter or setting cannot be used, or no endpoint is given (nothing is sent).</exception>
    public static Source<ViewRow, Task<ViewMetadata>> Query(ViewQuery query, ViewSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        query = ViewArguments.Check(query, settings);
        if (settings.Endpoints is not { Count: > 0 } endpoints)
            throw new ArgumentException($"view {query.Name}: settings.Endpoints must name at least one views base URL", nameof(settings));
        return Source.FromGraph(new ViewRowSourceStage(ct =>
            ViewHttp.OpenAsync(HttpClients.For(TlsSettings.Disabled), endpoints, query, settings, settings.Username,
                settings.Password, ct)));
    }

    /// <summary>
    /// Runs <see cref="Query(CouchbaseClient, ViewQuery, ViewSettings?)"/> to the end and returns every row with the
    /// metadata (the original's <c>queryAll</c>). Rows are held compactly (about their size on the wire).
    /// Cancelling <paramref name="cancellationToken"/> fails the task and closes the response.
    /// </summary>
    /// <exception cref="ArgumentException">Thrown by the call itself: a parameter or setting cannot be used (nothing is sent).</exception>
    public static Task<ViewQueryResult> QueryAllAsync(this CouchbaseClient client, ViewQuery query,
        IMaterializer materializer, ViewSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materializer);
        return RunAllAsync(Query(client, query, settings), materializer, cancellationToken);
    }

    /// <summary><see cref="QueryAllAsync(CouchbaseClient, ViewQuery, IMaterializer, ViewSettings?, CancellationToken)"/> with the system's shared materializer and <c>akka.couchbase.views</c> settings.</summary>
    public static Task<ViewQueryResult> QueryAllAsync(this CouchbaseClient client, ActorSystem system, ViewQuery query,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        return client.QueryAllAsync(query, system.Materializer(), ViewSettings.Create(system), cancellationToken);
    }

    private static async Task<ViewQueryResult> RunAllAsync(Source<ViewRow, Task<ViewMetadata>> source,
        IMaterializer materializer, CancellationToken cancellationToken)
    {
        // A plain list: Sink.Seq's immutable list would add a tree node per row.
        var ((metadata, killSwitch), rows) = source
            .ViaMaterialized(KillSwitches.Single<ViewRow>(), Keep.Both)
            .ToMaterialized(Sink.Aggregate<ViewRow, List<ViewRow>>(new List<ViewRow>(), static (list, row) =>
            {
                list.Add(row);
                return list;
            }), Keep.Both)
            .Run(materializer);
        using var registration = cancellationToken.Register(() => killSwitch.Abort(new OperationCanceledException(cancellationToken)));
        try
        {
            var all = await rows.ConfigureAwait(false);
            return new ViewQueryResult(all, await metadata.ConfigureAwait(false));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

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
