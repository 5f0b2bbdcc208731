using Akka.Actor;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

public static partial class CouchbaseViews
{
    /// <summary>The batch size of <see cref="ToActor{T}"/> and <see cref="QueryToActor(CouchbaseClient, ViewQuery, IActorRef, IMaterializer, int, ViewSettings?)"/> when none is given.</summary>
    public const int DefaultMaxBatch = 100;

    /// <summary>
    /// A sink that delivers rows to <paramref name="receiver"/> in <see cref="ViewRowBatch{T}"/> messages, each
    /// acknowledged by a <see cref="ViewRowsAck"/> the receiver sends back to the batch's sender before the next
    /// batch comes (the original's row handler: <c>on_rows</c>). A batch holds the rows that arrived while the
    /// previous one waited, at most <paramref name="maxBatch"/>; beyond that the stream is backpressured. At the end
    /// come <see cref="ViewRowsCompleted"/> (<c>on_done</c>) or <see cref="ViewRowsFailed"/> (<c>on_error</c>),
    /// after every row that reached the sink was delivered. The receiver is watched: when it stops, the stream fails
    /// and the view's response is closed. The materialized task completes once the receiver was told the end, and
    /// fails if it stopped before.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatch"/> is less than 1.</exception>
    public static Sink<T, Task> ToActor<T>(IActorRef receiver, int maxBatch = DefaultMaxBatch)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ViewArguments.Positive(maxBatch, nameof(maxBatch));
        return Sink.FromGraph(new ActorRowsSinkStage<T>(receiver, maxBatch, metadata: null));
    }

    /// <summary>
    /// Streams the query's rows to <paramref name="receiver"/> as <see cref="ToActor{T}"/> does, with the view's
    /// metadata (<c>total_rows</c>) in the final <see cref="ViewRowsCompleted"/>. The task completes once the
    /// receiver was told the end.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or setting cannot be used (nothing is sent).</exception>
    public static Task QueryToActor(this CouchbaseClient client, ViewQuery query, IActorRef receiver,
        IMaterializer materializer, int maxBatch = DefaultMaxBatch, ViewSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(materializer);
        var source = Query(client, query, settings);
        ViewArguments.Positive(maxBatch, nameof(maxBatch), query);
        var metadata = new TaskCompletionSource<ViewMetadata>(TaskCreationOptions.RunContinuationsAsynchronously);
        return source
            .MapMaterializedValue(task =>
            {
                task.ContinueWith(static (t, state) =>
                {
                    var copy = (TaskCompletionSource<ViewMetadata>)state!;
                    if (t.IsCompletedSuccessfully) copy.TrySetResult(t.Result);
                    else copy.TrySetException(t.Exception?.InnerExceptions ?? (IEnumerable<Exception>)new[] { new TaskCanceledException(t) });
                }, metadata, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.FromGraph(new ActorRowsSinkStage<ViewRow>(receiver, maxBatch, metadata.Task)), Keep.Right)
            .Run(materializer);
    }

    /// <summary><see cref="QueryToActor(CouchbaseClient, ViewQuery, IActorRef, IMaterializer, int, ViewSettings?)"/> with the system's shared materializer and <c>akka.couchbase.views</c> settings.</summary>
    public static Task QueryToActor(this CouchbaseClient client, ActorSystem system, ViewQuery query, IActorRef receiver,
        int maxBatch = DefaultMaxBatch)
    {
        ArgumentNullException.ThrowIfNull(system);
        return client.QueryToActor(query, receiver, system.Materializer(), maxBatch, ViewSettings.Create(system));
    }
}
