using System.Globalization;
using Akka.Couchbase.Chaos.Load;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Faults;

namespace Akka.Couchbase.Chaos.Faults;

/// <summary>
/// The fault schedule, drawn from the seed alone before the run starts (so one seed gives the same schedule on every
/// machine): a fault every <c>--fault-interval</c> on average, chosen among those the cluster can take at that
/// moment. The plan follows its own model of the cluster (which nodes are stopped or failed over, whether a
/// rebalance is half done) so that at most (nodes - 1) / 2 nodes (at least one) are out at once, at least one
/// node stays in the cluster, and every episode heals itself (restart, add back, rebalance).
/// </summary>
internal static class FaultPlan
{
    private static readonly (string Kind, int Weight)[] Kinds =
    {
        ("failover", 12), ("stop", 12), ("hiccup", 14), ("drop-connections", 12), ("truncate", 10), ("swallow", 8),
        ("temporary-errors", 10), ("move-vbucket", 12), ("two-step-rebalance", 6), ("rebalance", 4),
    };

    private static readonly KvStatus[] TemporaryStatuses = { KvStatus.TemporaryFailure, KvStatus.Busy, KvStatus.OutOfMemory };
    private static readonly Opcode?[] ForcedOpcodes = { null, Opcode.Get, Opcode.Set, Opcode.Append, Opcode.Increment, Opcode.Delete, Opcode.Add };
    private static readonly Opcode?[] SwallowedOpcodes = { null, Opcode.Get, Opcode.Set, Opcode.Add, Opcode.Delete };

    public static List<FaultStep> Create(int seed, double durationSeconds, double intervalSeconds, int nodes, string bucket, int vBuckets)
    {
        var random = new Random(seed);
        var steps = new List<FaultStep>();
        var model = new Model(nodes);
        var maxOut = Math.Max(1, (nodes - 1) / 2);
        var t = intervalSeconds * (0.5 + random.NextDouble());
        while (t < durationSeconds)
        {
            model.AdvanceTo(t);
            var kind = Pick(random, model, maxOut);
            if (kind != null) Plan(kind, t, random, model, steps, bucket, vBuckets);
            // Now and then two faults at (nearly) the same time.
            t += random.Next(7) == 0 ? random.NextDouble() * 0.1 : intervalSeconds * (0.5 + random.NextDouble());
        }
        // Heal steps planned past the end are left to the final heal, which restores everything anyway.
        return steps.Where(s => s.At < durationSeconds).OrderBy(s => s.At).ToList();
    }

    private static string? Pick(Random random, Model model, int maxOut)
    {
        var allowed = Kinds.Where(k => k.Kind switch
        {
            "failover" => model.Busy < maxOut && model.Nodes - model.Busy >= 2,
            "stop" => model.Busy < maxOut,
            "two-step-rebalance" => !model.Rebalancing,
            _ => true,
        }).ToList();
        var roll = random.Next(allowed.Sum(k => k.Weight));
        foreach (var (kind, weight) in allowed)
            if ((roll -= weight) < 0) return kind;
        return null;
    }

    private static void Plan(string kind, double t, Random random, Model model, List<FaultStep> steps, string bucket, int vBuckets)
    {
        void Step(double at, string action, bool first, Func<ClusterFaults, Task> apply) =>
            steps.Add(new FaultStep(at, kind, action, first, apply));
        static Task Done(Action a)
        {
            a();
            return Task.CompletedTask;
        }

        switch (kind)
        {
            case "failover":
            {
                var n = model.PickFree(random);
                var back = t + 1 + random.NextDouble() * 3;
                model.Occupy(n, back + 1);
                Step(t, $"failover node {n}", true, f => Done(() => f.Failover(n)));
                if (random.Next(2) == 0)
                    Step(back, $"add back node {n} + rebalance", false, f => Done(() => f.AddBack(n)));
                else
                {
                    Step(back, $"add back node {n} (no rebalance)", false, f => Done(() => f.AddBack(n, rebalance: false)));
                    Step(back + 0.2 + random.NextDouble() * 0.8, "rebalance", false, f => Done(f.Rebalance));
                }
                break;
            }
            case "stop":
            {
                var n = model.PickFree(random);
                var failover = random.Next(3) == 0 && model.Nodes - model.Busy >= 2;
                var failoverAt = t + 0.3 + random.NextDouble() * 1.2;
                var restart = (failover ? failoverAt : t) + 0.5 + random.NextDouble() * 3;
                var addBack = restart + 0.2 + random.NextDouble() * 0.8;
                model.Occupy(n, addBack + 0.5);
                Step(t, $"stop node {n}", true, f => f.StopNodeAsync(n));
                if (failover) Step(failoverAt, $"failover node {n} (stopped)", false, f => Done(() => f.Failover(n)));
                Step(restart, $"restart node {n}", false, f => f.RestartNodeAsync(n));
                if (failover) Step(addBack, $"add back node {n} + rebalance", false, f => Done(() => f.AddBack(n)));
                break;
            }
            case "hiccup":
            {
                var n = random.Next(model.Nodes);
                var ms = random.Next(4) == 0 ? 1000 + random.Next(3000) : 50 + random.Next(750);
                Step(t, $"hiccup node {n} for {ms}ms", true, f => Done(() => f.Hiccup(n, TimeSpan.FromMilliseconds(ms))));
                break;
            }
            case "drop-connections":
            {
                var n = random.Next(model.Nodes);
                Step(t, $"drop the connections of node {n}", true, f => Done(() => f.DropConnections(n)));
                break;
            }
            case "truncate":
            {
                var n = random.Next(model.Nodes);
                var bytes = 1 + random.Next(23);
                Step(t, $"truncate the next response batch of node {n} after {bytes} bytes", true, f => Done(() => f.Truncate(n, bytes)));
                break;
            }
            case "swallow":
            {
                var op = SwallowedOpcodes[random.Next(SwallowedOpcodes.Length)];
                var count = 1 + random.Next(20);
                int? node = random.Next(2) == 0 ? random.Next(model.Nodes) : null;
                Step(t, $"swallow {count} {Name(op)} on shared keys{On(node)}", true,
                    f => Done(() => f.Swallow(op, KeySpace.SharedDocumentPattern, count, node)));
                break;
            }
            case "temporary-errors":
            {
                var status = TemporaryStatuses[random.Next(TemporaryStatuses.Length)];
                var op = ForcedOpcodes[random.Next(ForcedOpcodes.Length)];
                var count = 1 + random.Next(50);
                int? node = random.Next(2) == 0 ? random.Next(model.Nodes) : null;
                Step(t, $"answer {status} to the next {count} {Name(op)}{On(node)}", true,
                    f => Done(() => f.ForceStatus(status, op, null, count, node)));
                break;
            }
            case "move-vbucket":
            {
                var vb = random.Next(vBuckets);
                var to = model.PickMember(random);
                if (to < 0) break;
                Step(t, $"move vBucket {vb} to node {to}", true, f => Done(() => f.MoveVBucket(bucket, vb, to)));
                break;
            }
            case "two-step-rebalance":
            {
                var complete = t + 0.2 + random.NextDouble() * 1.8;
                model.RebalancingUntil = complete;
                Step(t, "begin a rebalance (forward map)", true, f => Done(f.BeginRebalance));
                Step(complete, "complete the rebalance", false, f => Done(f.CompleteRebalance));
                break;
            }
            case "rebalance":
                Step(t, "rebalance", true, f => Done(f.Rebalance));
                break;
        }
    }

    private static string Name(Opcode? op) => op is { } o ? o.ToString().ToUpperInvariant() + "s" : "data commands";
    private static string On(int? node) => node is { } n ? " on node " + n.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>The plan's view of the cluster: which nodes are in an episode (stopped or failed over) until when.</summary>
    private sealed class Model
    {
        private readonly double[] _busyUntil;
        private double _now;

        public Model(int nodes) => _busyUntil = new double[nodes];

        public int Nodes => _busyUntil.Length;
        public int Busy => _busyUntil.Count(u => u > _now);
        public double RebalancingUntil { get; set; }
        public bool Rebalancing => RebalancingUntil > _now;

        public void AdvanceTo(double t) => _now = t;

        public int PickFree(Random random)
        {
            var free = Enumerable.Range(0, Nodes).Where(i => _busyUntil[i] <= _now).ToList();
            return free[random.Next(free.Count)];
        }

        /// <summary>A node surely in the cluster map (not failed over): one not in an episode; -1 if there is none.</summary>
        public int PickMember(Random random) => Busy == Nodes ? -1 : PickFree(random);

        public void Occupy(int node, double until) => _busyUntil[node] = until;
    }
}
