using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>
/// The whole load: the Tell driver actors and the Task lanes, their owners (ledgers and owned keys), and the phases
/// start, stop issuing, and wait for the last replies.
/// </summary>
internal sealed class LoadRunner
{
    private const int LaneWindow = 8;
    private readonly ActorSystem _system;
    private readonly CouchbaseClient _client;
    private readonly ChaosOptions _options;
    private readonly List<IActorRef> _drivers = new();
    private readonly List<TaskLane> _lanes = new();
    private readonly List<Task> _laneTasks = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CommandMix _mix;
    private Timer? _taskSweep;

    public LoadRunner(ActorSystem system, CouchbaseClient client, ChaosOptions options, Violations violations)
    {
        _system = system;
        _client = client;
        _options = options;
        var driverSlots = Split(options.TellInFlight, options.TellInFlight > 0 ? options.TellDrivers : 0);
        var laneSlots = Split(options.TaskInFlight, (options.TaskInFlight + LaneWindow - 1) / LaneWindow);
        Space = new KeySpace(options.Keys, options.InFlight);
        _mix = new CommandMix(Space, options);
        var index = 0;
        foreach (var slots in driverSlots)
            TellOwners.Add(new Owner($"tell{TellOwners.Count}", slots, Space, options, violations, index++));
        foreach (var slots in laneSlots)
            TaskOwners.Add(new Owner($"task{TaskOwners.Count}", slots, Space, options, violations, index++));
    }

    public KeySpace Space { get; }
    public List<Owner> TellOwners { get; } = new();
    public List<Owner> TaskOwners { get; } = new();
    public IEnumerable<Owner> Owners => TellOwners.Concat(TaskOwners);

    /// <summary>Stores write 0 of every register key and "0" in every counter key, before the load and the faults.</summary>
    public async Task SetUpAsync(TextWriter log)
    {
        var items = Owners.SelectMany(o => o.Registers.Select(r => (r.Key, Value: Checks.RegisterBook.ValueOf(r.Key, 0)))
            .Concat(o.Counters.Select(c => (c.Key, Value: "0")))).ToList();
        using var gate = new SemaphoreSlim(256);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var stored = await _client.UpsertAsync(item.Key, item.Value).ConfigureAwait(false);
                        if (stored.IsSuccess) return;
                        if (attempt >= 20) throw new InvalidOperationException($"could not store '{item.Key}': {stored.Outcome}");
                    }
                    catch (CouchbaseException) when (attempt < 20)
                    {
                    }
                    await Task.Delay(100).ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        log.WriteLine($"set up {items.Count} register and counter keys");
    }

    public void Start()
    {
        foreach (var owner in TellOwners)
        {
            var driver = _system.ActorOf(TellDriver.Props(owner, _mix, _client.Supervisor), owner.Name);
            _drivers.Add(driver);
            driver.Tell(TellDriver.Begin.Instance);
        }
        foreach (var owner in TaskOwners)
        {
            var lane = new TaskLane(owner, _mix, _client);
            _lanes.Add(lane);
            _laneTasks.Add(Task.Run(() => lane.RunAsync(_stop.Token)));
        }
        // The Tell drivers mark their overdue commands themselves; the lanes' are marked here, so that a task
        // completed past its deadline plus the grace is reported as late.
        _taskSweep = new Timer(_ =>
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var owner in TaskOwners)
                lock (owner.Sync) owner.Ledger.MarkOverdue(now);
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void StopIssuing()
    {
        foreach (var driver in _drivers) driver.Tell(TellDriver.StopIssuing.Instance);
        _stop.Cancel();
    }

    /// <summary>Commands sent and not yet answered, over every sender.</summary>
    public int Outstanding => Owners.Sum(o => { lock (o.Sync) return o.Ledger.OutstandingCount; });

    /// <summary>Commands sent so far.</summary>
    public long Sent => Owners.Sum(o => { lock (o.Sync) return o.Ledger.Sent; });

    /// <summary>Waits until every command has its reply, or <paramref name="bound"/> passed; true if all came.</summary>
    public async Task<bool> DrainAsync(TimeSpan bound)
    {
        await Task.WhenAll(_laneTasks).WaitAsync(bound).ContinueWith(_ => { }).ConfigureAwait(false);
        var deadline = Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        while (Outstanding > 0 && Stopwatch.GetTimestamp() < deadline) await Task.Delay(100).ConfigureAwait(false);
        if (_taskSweep != null) await _taskSweep.DisposeAsync().ConfigureAwait(false);
        return Outstanding == 0;
    }

    private static List<int> Split(int total, int parts)
    {
        var list = new List<int>();
        for (var i = 0; i < parts; i++)
        {
            var share = total / parts + (i < total % parts ? 1 : 0);
            if (share > 0) list.Add(share);
        }
        return list;
    }
}
