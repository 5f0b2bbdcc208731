namespace Akka.Couchbase.Discovery;

/// <summary>
/// The order in which SRV targets become seeds.
/// <para>
/// RFC 0011 (connection strings) says priority and weight should be 0 and that clients ignore them; the .NET SDK
/// orders by priority alone, keeping the answer's order within one priority; RFC 2782 tries the lowest priority
/// first and, within one priority, picks at random in proportion to weight. We order by priority (lowest first, so a
/// zone that does mark backups gets them tried last, as RFC 2782 means), then by weight (highest first), then in the
/// answer's order. Weight decides in a fixed order rather than at random: the seeds are only tried one at a time
/// until one yields a cluster map (which then names every node), so spreading bootstrap load by chance buys little,
/// while a fixed order makes the seeds, the logs and the retries the same for every start. With every priority and
/// weight 0, as Couchbase documents, the seeds are in the answer's order, as in the SDKs.
/// </para>
/// The same host and port named twice is one seed (its first place).
/// </summary>
internal static class SrvOrder
{
    /// <summary>The targets as seeds, in bootstrap order.</summary>
    public static IReadOnlyList<SrvTarget> Sort(IEnumerable<SrvTarget> targets)
    {
        var seen = new HashSet<(string, int)>();
        var ordered = new List<SrvTarget>();
        // OrderBy is stable: equal priority and weight keep the answer's order.
        foreach (var target in targets.OrderBy(t => t.Priority).ThenByDescending(t => t.Weight))
            if (seen.Add((target.Host.ToLowerInvariant(), target.Port)))
                ordered.Add(target);
        return ordered;
    }
}
