using Akka.Streams;
using Akka.Streams.Supervision;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// Decides what a genuine failure of a command does to a KV stage, from the stream's supervision strategy
/// (<see cref="ActorAttributes.SupervisionStrategy"/>): Stop fails the stage; Resume and Restart keep the failure in
/// the stream as a failed <see cref="CouchbaseResult{TResult, TPassThrough}"/> (nothing is dropped, so every element
/// keeps its pass-through value).
/// <para>
/// Akka.Streams always supplies a strategy: the materializer's, <see cref="Deciders.StoppingDecider"/> unless its
/// settings name another. That stock default counts as no choice; then flows keep failures in the stream (a flow
/// exists to report each element's fate) and sinks fail (a sink has nobody to report to). Any other strategy is the
/// caller's choice: a strategy set on the stage or its graph (even the stopping one), or a materializer whose
/// settings name a decider other than the stock one.
/// </para>
/// </summary>
internal static class KvSupervision
{
    /// <summary>The decider for failures of a stage with <paramref name="attributes"/>.</summary>
    /// <param name="attributes">The stage's inherited attributes.</param>
    /// <param name="stopWithoutChoice">What the stage does when the caller chose no strategy: true = Stop (sinks), false = keep failures as results (flows).</param>
    public static Decider DeciderFor(Attributes attributes, bool stopWithoutChoice)
    {
        var strategies = attributes.GetAttributeList<ActorAttributes.SupervisionStrategy>().ToList();
        var chosen = strategies.Count > 1
                     || (strategies.Count == 1 && !ReferenceEquals(strategies[0].Decider, Deciders.StoppingDecider));
        if (chosen) return attributes.GetAttribute<ActorAttributes.SupervisionStrategy>()!.Decider;
        return stopWithoutChoice ? Deciders.StoppingDecider : Deciders.ResumingDecider;
    }

    /// <summary>
    /// The decider for exceptions of the caller's own functions (making a command), as any operator applies it:
    /// the stream's strategy, stopping when there is none.
    /// </summary>
    public static Decider OperatorDecider(Attributes attributes) =>
        attributes.GetAttribute<ActorAttributes.SupervisionStrategy>()?.Decider ?? Deciders.StoppingDecider;
}
