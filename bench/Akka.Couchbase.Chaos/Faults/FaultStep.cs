using Akka.Couchbase.TestKit.Faults;

namespace Akka.Couchbase.Chaos.Faults;

/// <summary>
/// One action on the cluster at a planned time. A fault is an episode of one or more steps (a failover, then the
/// add back and rebalance that heal it); <see cref="Fault"/> names the episode, <see cref="Action"/> the step.
/// </summary>
/// <param name="At">Planned time, in seconds from the start of the load.</param>
/// <param name="Fault">The episode's kind (what the report counts): failover, stop, hiccup, ...</param>
/// <param name="Action">What this step does: "failover node 2", "add back node 2 + rebalance", ...</param>
/// <param name="StartsFault">True for the first step of an episode.</param>
/// <param name="Apply">The step itself.</param>
internal sealed record FaultStep(double At, string Fault, string Action, bool StartsFault, Func<ClusterFaults, Task> Apply);

/// <summary>A step as it was carried out.</summary>
/// <param name="At">When it was applied, in seconds from the start of the load.</param>
/// <param name="Step">The step.</param>
/// <param name="Error">Why it failed, if it did.</param>
internal sealed record AppliedStep(double At, FaultStep Step, string? Error);
