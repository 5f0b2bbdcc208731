using Akka.Actor;

namespace Akka.Couchbase.Discovery;

/// <summary>
/// What one DNS SRV lookup found: the targets in seed order (<see cref="SrvOrder"/>), or, when it found none, why
/// (no such name, no records, no answer in time, no name server), for the log.
/// </summary>
internal sealed record SrvLookup(string RecordName, IReadOnlyList<SrvTarget> Targets, string? Failure)
    : INoSerializationVerificationNeeded
{
    /// <summary>True when it found at least one target.</summary>
    public bool Found => Targets.Count > 0;

    /// <summary>A lookup that found records.</summary>
    public static SrvLookup Of(string recordName, IReadOnlyList<SrvTarget> targets) => new(recordName, targets, null);

    /// <summary>A lookup that found nothing, and why.</summary>
    public static SrvLookup Failed(string recordName, string why) => new(recordName, Array.Empty<SrvTarget>(), why);
}
