using Akka.Couchbase.Chaos.Checks;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>
/// Picks each sender's next command: on its own keys appends, register upserts and reads, and counter increments
/// (checked for order and values); on the shared keys gets, upserts, inserts, removes, counters and multi-gets
/// (checked for exactly one reply), a tenth of those with a shorter timeout of their own.
/// </summary>
internal sealed class CommandMix
{
    // Percent of commands of each kind.
    private const int AppendWeight = 18, RegisterUpsertWeight = 12, RegisterGetWeight = 8, CounterWeight = 8,
        GetWeight = 22, UpsertWeight = 11, InsertWeight = 5, RemoveWeight = 6, SharedCounterWeight = 6, GetMultiWeight = 4;
    private const int TotalWeight = AppendWeight + RegisterUpsertWeight + RegisterGetWeight + CounterWeight + GetWeight +
        UpsertWeight + InsertWeight + RemoveWeight + SharedCounterWeight + GetMultiWeight;

    private static readonly byte[][] Values = new[] { 16, 100, 700, 1500, 4000 }
        .Select(size => Enumerable.Range(0, size).Select(i => (byte)('a' + i % 26)).ToArray()).ToArray();

    private readonly KeySpace _space;
    private readonly int _timeoutMs;

    public CommandMix(KeySpace space, ChaosOptions options)
    {
        _space = space;
        _timeoutMs = options.TimeoutMs;
    }

    /// <summary>The owner's next command, entered in its ledger. Call under the owner's lock.</summary>
    public Pending Next(Owner o)
    {
        var r = o.Random;
        var roll = r.Next(TotalWeight);
        if ((roll -= AppendWeight) < 0)
        {
            var book = o.AppendSlot(r.Next(o.Appends.Length));
            if (!book.CreateSent)
            {
                book.MarkCreateSent();
                var create = o.Ledger.Begin(Op.Upsert, book.Key, book, book.NextSeq(), -1, _timeoutMs);
                create.Value = "";
                return create;
            }
            var n = book.NextAppend();
            var append = o.Ledger.Begin(Op.Append, book.Key, book, book.NextSeq(), n, _timeoutMs);
            append.Value = AppendBook.ValueOf(n);
            return append;
        }
        if ((roll -= RegisterUpsertWeight) < 0)
        {
            var book = o.Registers[r.Next(o.Registers.Length)];
            var seq = book.NextSeq();
            var write = book.BeginWrite();
            var p = o.Ledger.Begin(Op.Upsert, book.Key, book, seq, write, _timeoutMs);
            p.Value = RegisterBook.ValueOf(book.Key, write);
            return p;
        }
        if ((roll -= RegisterGetWeight) < 0)
        {
            var book = o.Registers[r.Next(o.Registers.Length)];
            return o.Ledger.Begin(Op.Get, book.Key, book, book.NextSeq(), book.Writes, _timeoutMs);
        }
        if ((roll -= CounterWeight) < 0)
        {
            var book = o.Counters[r.Next(o.Counters.Length)];
            var seq = book.NextSeq();
            return o.Ledger.Begin(Op.Increment, book.Key, book, seq, book.BeginIncrement(), _timeoutMs);
        }

        // The shared keys.
        var (timeout, own) = r.Next(10) == 0 ? (200 + r.Next(1800), true) : (_timeoutMs, false);
        Pending shared;
        if ((roll -= GetWeight) < 0)
            shared = o.Ledger.Begin(Op.Get, Mixed(r), null, 0, 0, timeout);
        else if ((roll -= UpsertWeight) < 0)
            shared = o.Ledger.Begin(Op.Upsert, Mixed(r), null, 0, 0, timeout);
        else if ((roll -= InsertWeight) < 0)
            shared = o.Ledger.Begin(Op.Insert, Mixed(r), null, 0, 0, timeout);
        else if ((roll -= RemoveWeight) < 0)
            shared = o.Ledger.Begin(Op.Remove, Mixed(r), null, 0, 0, timeout);
        else if ((roll -= SharedCounterWeight) < 0)
        {
            var key = _space.MixedCounters[r.Next(_space.MixedCounters.Length)];
            shared = o.Ledger.Begin(r.Next(3) == 0 ? Op.Decrement : Op.Increment, key, null, 0, 0, timeout);
            shared.WithInitial = true;
        }
        else
        {
            var keys = new HashSet<string>();
            var count = 2 + r.Next(7);
            while (keys.Count < Math.Min(count, _space.Mixed.Length)) keys.Add(Mixed(r));
            var list = keys.ToList();
            shared = o.Ledger.Begin(Op.GetMulti, list[0], null, 0, 0, timeout);
            shared.Keys = list;
        }
        if (shared.Op is Op.Upsert or Op.Insert) shared.Value = Values[r.Next(Values.Length)];
        shared.OwnTimeout = own;
        return shared;
    }

    private string Mixed(Random r) => _space.Mixed[r.Next(_space.Mixed.Length)];
}
