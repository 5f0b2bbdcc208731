using System.Globalization;
using Akka.Actor;
using Akka.Couchbase.Chaos.Checks;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>
/// One sender of commands (a Tell driver actor or a Task lane): its ledger, the keys it alone sends commands on,
/// and its random source. Every method runs under <see cref="Sync"/> (replies to a Task lane complete on pool
/// threads while the lane sends).
/// </summary>
internal sealed class Owner
{
    private readonly int _appendsPerKey;
    private readonly int[] _appendGenerations;

    public Owner(string name, int slots, KeySpace space, ChaosOptions options, Violations violations, int index)
    {
        Name = name;
        Slots = slots;
        Violations = violations;
        Random = new Random(unchecked(options.EffectiveSeed * 7919 + index + 1));
        Ledger = new CommandLedger(name, violations, TimeSpan.FromSeconds(options.GraceSeconds));
        _appendsPerKey = options.AppendsPerKey;
        var appendSlots = space.ShareOf(space.AppendKeys, slots);
        _appendGenerations = new int[appendSlots];
        Appends = new AppendBook[appendSlots];
        for (var i = 0; i < appendSlots; i++) Appends[i] = NewAppendBook(i);
        Registers = Enumerable.Range(0, space.ShareOf(space.RegisterKeys, slots))
            .Select(i => new RegisterBook($"r:{name}:{i.ToString(CultureInfo.InvariantCulture)}", name)).ToArray();
        Counters = Enumerable.Range(0, space.ShareOf(space.CounterKeys, slots))
            .Select(i => new CounterBook($"c:{name}:{i.ToString(CultureInfo.InvariantCulture)}", name)).ToArray();
    }

    public string Name { get; }
    public int Slots { get; }
    public object Sync { get; } = new();
    public Random Random { get; }
    public CommandLedger Ledger { get; }
    public Violations Violations { get; }

    /// <summary>The append key currently written in each append slot.</summary>
    public AppendBook[] Appends { get; }
    /// <summary>
    /// Every append key this owner used and that was not checked yet: the current ones, and full ones until
    /// <see cref="Checks.RetiredAppends"/> takes them (the rest are read back at the end).
    /// </summary>
    public List<AppendBook> AllAppends { get; } = new();
    public RegisterBook[] Registers { get; }
    public CounterBook[] Counters { get; }

    public IEnumerable<KeyBook> Books => AllAppends.Cast<KeyBook>().Concat(Registers).Concat(Counters);

    /// <summary>The slot's append key, replaced by a fresh one once it holds <c>--appends-per-key</c>.</summary>
    public AppendBook AppendSlot(int slot)
    {
        if (Appends[slot].Full) Appends[slot] = NewAppendBook(slot);
        return Appends[slot];
    }

    private AppendBook NewAppendBook(int slot)
    {
        var key = $"a:{Name}:{slot.ToString(CultureInfo.InvariantCulture)}.{_appendGenerations[slot]++.ToString(CultureInfo.InvariantCulture)}";
        var book = new AppendBook(key, Name, _appendsPerKey);
        AllAppends.Add(book);
        return book;
    }

    /// <summary>
    /// Records a reply: the ledger (exactly one reply), the reply's type and key, then the key's book (order, values).
    /// Returns the command, or null for a second or unknown reply.
    /// </summary>
    public Pending? Complete(long id, object reply)
    {
        var outcome = Outcomes.Of(reply);
        var p = Ledger.Complete(id, outcome, reply);
        if (p is null) return null;
        if (!Fits(p, reply))
            Violations.Add(ViolationKind.UnexpectedReply, $"{Name}: {p} got {CommandLedger.Describe(reply)}");
        p.Book?.OnReply(p, outcome, reply, Violations);
        return p;
    }

    private static bool Fits(Pending p, object reply) => reply switch
    {
        Status.Failure => true,
        GetResult r => p.Op == Op.Get && r.Key == p.Key,
        CounterResult r => p.Op is Op.Increment or Op.Decrement && r.Key == p.Key,
        MutationResult r => p.Op is Op.Upsert or Op.Insert or Op.Remove or Op.Append && r.Key == p.Key,
        MultiResult<GetResult> m => p.Op == Op.GetMulti && m.Results.Count + m.Failures.Count == p.Keys!.Count,
        _ => false,
    };
}
