using System.Diagnostics;
using Akka.Couchbase.TestKit;

namespace Akka.Couchbase.Chaos.Faults;

/// <summary>Carries out the fault plan on the cluster, step by step at its times, and heals everything at the end.</summary>
internal sealed class FaultInjector
{
    private readonly InProcessCluster _cluster;
    private readonly IReadOnlyList<FaultStep> _plan;
    private readonly Stopwatch _clock;
    private readonly TextWriter _log;
    private readonly List<AppliedStep> _applied = new();

    public FaultInjector(InProcessCluster cluster, IReadOnlyList<FaultStep> plan, Stopwatch clock, TextWriter log)
    {
        _cluster = cluster;
        _plan = plan;
        _clock = clock;
        _log = log;
    }

    public IReadOnlyList<AppliedStep> Applied
    {
        get { lock (_applied) return _applied.ToList(); }
    }

    /// <summary>Applies every step of the plan at its time, until the plan ends or <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        foreach (var step in _plan)
        {
            var wait = TimeSpan.FromSeconds(step.At) - _clock.Elapsed;
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (stop.IsCancellationRequested) return;
            await ApplyAsync(step).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Undoes every fault: clears forced statuses, swallows, hiccups and truncations, restarts stopped nodes, adds
    /// failed-over nodes back and rebalances (which also ends a half-done rebalance).
    /// </summary>
    public async Task HealAsync()
    {
        await ApplyAsync(Heal("clear forced statuses, swallows, hiccups and truncations", f => f.Reset())).ConfigureAwait(false);
        foreach (var node in _cluster.Nodes.Where(n => !n.IsRunning).ToList())
            await ApplyAsync(new FaultStep(0, "heal", $"restart node {node.Index}", false, f => f.RestartNodeAsync(node.Index))).ConfigureAwait(false);
        foreach (var node in _cluster.Nodes.Where(n => !n.InCluster).ToList())
            await ApplyAsync(Heal($"add back node {node.Index}", f => f.AddBack(node.Index, rebalance: false))).ConfigureAwait(false);
        await ApplyAsync(Heal("rebalance", f => f.Rebalance())).ConfigureAwait(false);
    }

    private static FaultStep Heal(string action, Action<TestKit.Faults.ClusterFaults> apply) =>
        new(0, "heal", action, false, f =>
        {
            apply(f);
            return Task.CompletedTask;
        });

    private async Task ApplyAsync(FaultStep step)
    {
        var at = _clock.Elapsed.TotalSeconds;
        string? error = null;
        try
        {
            await step.Apply(_cluster.Faults).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }
        lock (_applied) _applied.Add(new AppliedStep(at, step, error));
        _log.WriteLine($"[{at,7:F2}s] {step.Action}{(error is null ? "" : $" FAILED: {error}")}");
    }
}
