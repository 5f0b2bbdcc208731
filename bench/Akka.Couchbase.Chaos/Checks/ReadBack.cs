using System.Diagnostics;
using Akka.Couchbase.Chaos.Ledger;
using Akka.Couchbase.Chaos.Load;
using Akka.Couchbase.TestKit;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// After the faults are healed and every reply is in: waits for the client to be connected to every node again,
/// writes one fresh key, then reads back every owned key through the client, compares it with what the cluster
/// stores, and hands it to its book (lost, phantom and out-of-order writes).
/// </summary>
internal sealed class ReadBack
{
    private readonly CouchbaseClient _client;
    private readonly InProcessCluster _cluster;
    private readonly string _bucket;
    private readonly Violations _violations;

    public ReadBack(CouchbaseClient client, InProcessCluster cluster, string bucket, Violations violations)
    {
        _client = client;
        _cluster = cluster;
        _bucket = bucket;
        _violations = violations;
    }

    public int AppendKeys { get; private set; }
    public int RegisterKeys { get; private set; }
    public int CounterKeys { get; private set; }
    public long AppendsAcked { get; private set; }
    public long AppendsNotApplied { get; private set; }
    public long AppendsUnknown { get; private set; }
    public double RecoverySeconds { get; private set; }

    /// <summary>Waits (up to <paramref name="bound"/>) until the client has a ready connection to each node.</summary>
    public async Task<bool> AwaitRecoveryAsync(TimeSpan bound)
    {
        var started = Stopwatch.StartNew();
        string last = "no diagnostics";
        while (started.Elapsed < bound)
        {
            try
            {
                var d = await _client.DiagnosticsAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                last = $"map {d.MapRevision}, nodes {string.Join(", ", d.Nodes.Select(n => $"{n.Address}{(n.Connected ? "" : " not connected")}{(n.Leaving ? " leaving" : "")}"))}, " +
                       $"backlog {d.Backlog}, held {d.HeldForMovingVBuckets}, moving vBuckets {d.MovingVBuckets}";
                if (d.AllNodesConnected && d.Nodes.Count(n => !n.Leaving) == _cluster.Nodes.Count && d.MovingVBuckets == 0)
                {
                    RecoverySeconds = started.Elapsed.TotalSeconds;
                    return true;
                }
            }
            catch (Exception e) when (e is CouchbaseException or TimeoutException)
            {
                last = e.Message;
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        _violations.Add(ViolationKind.Recovery,
            $"the client is not connected to every node {bound.TotalSeconds:F0}s after the faults were healed: {last}");
        return false;
    }

    public async Task RunAsync(IEnumerable<Owner> owners)
    {
        try
        {
            var stored = await _client.UpsertAsync("chaos:after", "healed").ConfigureAwait(false);
            if (!stored.IsSuccess) _violations.Add(ViolationKind.Recovery, $"an upsert after the faults: {stored.Outcome}");
        }
        catch (CouchbaseException e)
        {
            _violations.Add(ViolationKind.Recovery, $"an upsert after the faults failed: {e.GetType().Name}: {e.Message}");
        }

        var books = owners.SelectMany(o => o.Books.Select(b => (Owner: o, Book: b))).ToList();
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(books.Select(async item =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await CheckAsync(item.Owner, item.Book).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        foreach (var (owner, book) in books)
        {
            lock (owner.Sync)
            {
                switch (book)
                {
                    case AppendBook a:
                        AppendKeys++;
                        var (acked, no, unknown) = a.Tally();
                        AppendsAcked += acked;
                        AppendsNotApplied += no;
                        AppendsUnknown += unknown;
                        break;
                    case RegisterBook:
                        RegisterKeys++;
                        break;
                    case CounterBook:
                        CounterKeys++;
                        break;
                }
            }
        }
    }

    private async Task CheckAsync(Owner owner, KeyBook book)
    {
        GetResult? read = null;
        Exception? error = null;
        for (var attempt = 0; attempt < 10 && read is null; attempt++)
        {
            try
            {
                read = await _client.GetAsync(book.Key).ConfigureAwait(false);
            }
            catch (CouchbaseException e)
            {
                error = e;
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
        if (read is null)
        {
            _violations.Add(ViolationKind.ReadBack, $"{owner.Name} key '{book.Key}': no read-back succeeded in 10 attempts: {error?.Message}");
            return;
        }
        var value = read.IsSuccess ? read.RawValue.ToArray() : null;
        var onServer = _cluster.Bucket(_bucket).Get(book.Key)?.Value;
        if (!Same(value, onServer))
            _violations.Add(ViolationKind.ReadBack,
                $"{owner.Name} key '{book.Key}': the client read {Show(value)} but the cluster stores {Show(onServer)}");
        // What the cluster stores decides (a differing client read is reported above).
        lock (owner.Sync) book.CheckFinal(onServer, _violations);
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string Show(byte[]? v)
    {
        if (v is null) return "no document";
        var text = System.Text.Encoding.UTF8.GetString(v);
        return text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..60]}...\" ({v.Length} bytes)";
    }
}
