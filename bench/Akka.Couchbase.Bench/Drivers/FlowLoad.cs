using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Streams.Dsl;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Akka.Couchbase.Bench.Drivers;

/// <summary>
/// The stream path: <c>--drivers</c> streams (as many as the tell mode's driver actors) share the concurrency, each
/// an endless source of elements through one KV flow of <c>Akka.Couchbase.Streams</c> whose parallelism is its
/// share, into a sink that records each result. Gets only (<c>--set-ratio 0</c>) go through
/// <see cref="CouchbaseFlow.Get{TIn}"/>, sets only (<c>--set-ratio 1</c>) through <see cref="CouchbaseFlow.Upsert{TIn}"/>,
/// a mix or multi-gets through the generic <see cref="CouchbaseFlow.Send{TIn, TReply}"/>. The element is the moment it
/// was made, just before its command is sent (the flow sends as soon as it takes an element), and its result
/// carries it back as the pass-through value, so latency is from send to the result leaving the flow in order.
/// When the run stops, the sources complete and each flow completes once its last reply arrived.
/// </summary>
internal sealed class FlowLoad : ILoadDriver
{
    private readonly ActorSystem _system;
    private readonly List<Worker> _workers = new();
    private readonly List<Task> _running = new();

    public FlowLoad(ActorSystem system, CouchbaseClient client, Workload workload, BenchOptions options)
    {
        _system = system;
        var streams = options.EffectiveDrivers;
        for (var d = 0; d < streams; d++)
        {
            var parallelism = options.Concurrency / streams + (d < options.Concurrency % streams ? 1 : 0);
            _workers.Add(new Worker(client, workload, parallelism, (ulong)(d + 1) * 0x9E3779B97F4A7C15UL));
        }
        Stats = _workers.Select(w => w.Stats).ToList();
    }

    public IReadOnlyList<WorkerStats> Stats { get; }

    public void Start()
    {
        var materializer = _system.Materializer();
        foreach (var worker in _workers) _running.Add(worker.Run(materializer));
    }

    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var all = Task.WhenAll(_running);
        return await Task.WhenAny(all, Task.Delay(timeout)).ConfigureAwait(false) == all;
    }

    /// <summary>One stream: its flow, its random keys, its statistics (touched only on the stream's thread).</summary>
    private sealed class Worker
    {
        private readonly CouchbaseClient _client;
        private readonly Workload _workload;
        private readonly int _parallelism;
        private FastRandom _random;

        public Worker(CouchbaseClient client, Workload workload, int parallelism, ulong seed)
        {
            _client = client;
            _workload = workload;
            _parallelism = parallelism;
            _random = new FastRandom(seed);
        }

        public WorkerStats Stats { get; } = new();

        public Task Run(IMaterializer materializer)
        {
            // One operator upstream of the flow: the driver's own cost stays small, as the tell driver's does.
            var starts = Source.FromEnumerator(Starts);
            if (_workload.SetRatio == 0 && _workload.MultiGet == 1)
                return starts.Via(CouchbaseFlow.Get<long>(_ => NextKey(), CouchbaseReadSettings.Default.WithParallelism(_parallelism), _client))
                    .RunForeach(Record, materializer);
            if (_workload.SetRatio == 1)
                return starts.Via(CouchbaseFlow.Upsert<long>(_ => NextKey(), _ => _workload.Value,
                        CouchbaseWriteSettings.Default.WithParallelism(_parallelism), _client))
                    .RunForeach(Record, materializer);
            return starts.Via(CouchbaseFlow.Send<long, object>(_ => NextCommand(), _parallelism, _client))
                .RunForeach(Record, materializer);
        }

        /// <summary>The elements: each the moment it is taken, until the run stops.</summary>
        private static IEnumerator<long> Starts()
        {
            while (RunClock.CurrentPhase != Phase.Stop) yield return Stopwatch.GetTimestamp();
        }

        private string NextKey() => _workload.NextKey(ref _random);

        private Kv.ICommand NextCommand()
        {
            if (_workload.NextIsSet(ref _random)) return new Kv.Upsert(NextKey(), _workload.Value);
            if (_workload.MultiGet == 1) return new Kv.Get(NextKey());
            var keys = new string[_workload.MultiGet]; // the command keeps it until answered
            _workload.NextKeys(ref _random, keys);
            return new Kv.GetMulti(keys);
        }

        private void Record<TResult>(CouchbaseResult<TResult, long> result) where TResult : class
        {
            var start = result.PassThrough;
            ResultRelease.Release(result.Result);
            switch (result.Result)
            {
                case null:
                    Stats.Failed(start, result.Failure);
                    break;
                case GetResult get:
                    Stats.Completed(start, 1, 0, get.Outcome == KvOutcome.NotFound);
                    break;
                case MultiResult<GetResult> multi:
                    Stats.Completed(start, multi.Results.Count + multi.Failures.Count, multi.Failures.Count, false);
                    break;
                default:
                    Stats.Completed(start, 1, 0, false);
                    break;
            }
        }
    }
}
