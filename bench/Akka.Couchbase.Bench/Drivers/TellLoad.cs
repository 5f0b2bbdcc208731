using System.Diagnostics;
using Akka.Actor;

namespace Akka.Couchbase.Bench.Drivers;

/// <summary>
/// The fast path: a few <see cref="TellDriver"/> actors (one per two processors by default) share the concurrency, each
/// keeping its share of commands in flight with Tell and a correlation id. A single actor would serialise the
/// whole load generator on one thread; several keep the driver side off the critical path while each still
/// handles many replies per mailbox run.
/// </summary>
internal sealed class TellLoad : ILoadDriver
{
    private readonly List<IActorRef> _drivers = new();
    private readonly List<WorkerStats> _stats = new();

    public TellLoad(ActorSystem system, IActorRef supervisor, Workload workload, BenchOptions options,
        RateLimiter? limiter, TimeSpan operationTimeout)
    {
        var drivers = options.EffectiveDrivers;
        for (var d = 0; d < drivers; d++)
        {
            // Spread the concurrency evenly: the first (concurrency % drivers) get one more slot.
            var slots = options.Concurrency / drivers + (d < options.Concurrency % drivers ? 1 : 0);
            var stats = new WorkerStats();
            _stats.Add(stats);
            var seed = (ulong)(d + 1) * 0x9E3779B97F4A7C15UL;
            _drivers.Add(system.ActorOf(Props.Create(() =>
                new TellDriver(supervisor, workload, stats, slots, limiter, seed, operationTimeout)), $"tell-driver-{d}"));
        }
    }

    public IReadOnlyList<WorkerStats> Stats => _stats;

    public void Start()
    {
        foreach (var driver in _drivers) driver.Tell(TellDriver.Begin.Instance);
    }

    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        try
        {
            var drained = _drivers.Select(d => d.Ask<TellDriver.Drained>(TellDriver.Drain.Instance, timeout));
            await Task.WhenAll(drained).ConfigureAwait(false);
            return true;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }
}

/// <summary>
/// One driver actor: holds a fixed set of <see cref="Slot"/>s, each one command in flight. The slot itself is the
/// command's correlation id, so matching a reply costs a cast and issuing a command allocates only the command.
/// A periodic sweep re-issues a slot whose reply is overdue (its deadline plus a margin) and counts it as lost:
/// the client promises exactly one reply per command, so that count should stay 0.
/// </summary>
internal sealed class TellDriver : UntypedActor, IWithTimers
{
    public sealed class Begin { public static readonly Begin Instance = new(); }
    public sealed class Drain { public static readonly Drain Instance = new(); }
    public sealed class Drained { public static readonly Drained Instance = new(); }
    private sealed class Sweep { public static readonly Sweep Instance = new(); }

    /// <summary>One unit of concurrency; also the scheduled message that resumes it after a rate-limit wait.</summary>
    private sealed class Slot
    {
        public Slot(int multiGet) => MultiKeys = multiGet > 1 ? new string[multiGet] : null;
        public long Start;
        public bool Outstanding;
        public readonly string[]? MultiKeys;
    }

    private readonly IActorRef _supervisor;
    private readonly Workload _workload;
    private readonly WorkerStats _stats;
    private readonly RateLimiter? _limiter;
    private readonly Slot[] _slots;
    private readonly long _lostAfterTicks;
    private FastRandom _random;
    private int _outstanding;
    private IActorRef? _drainWaiter;

    public TellDriver(IActorRef supervisor, Workload workload, WorkerStats stats, int slots, RateLimiter? limiter,
        ulong seed, TimeSpan operationTimeout)
    {
        _supervisor = supervisor;
        _workload = workload;
        _stats = stats;
        _limiter = limiter;
        _random = new FastRandom(seed);
        _slots = new Slot[slots];
        for (var i = 0; i < slots; i++) _slots[i] = new Slot(workload.MultiGet);
        _lostAfterTicks = (long)((operationTimeout + TimeSpan.FromSeconds(2)).TotalSeconds * Stopwatch.Frequency);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("sweep", Sweep.Instance, TimeSpan.FromSeconds(1));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KvResult r: // GetResult, MutationResult, LookupInResult, MutateInResult
                ResultRelease.Release(r);
                if (ReplyCheck.Problem(r) is { } problem)
                {
                    _stats.FirstError ??= problem;
                    OnReply(r.CorrelationId, 0, 1, false);
                }
                else
                    OnReply(r.CorrelationId, 1, 0, ReplyCheck.IsMiss(r));
                break;
            case MultiResult<GetResult> r:
                ResultRelease.Release(r);
                OnReply(r.CorrelationId, r.Results.Count + r.Failures.Count, r.Failures.Count, false);
                break;
            case Status.Failure failure:
                OnFailure(failure);
                break;
            case Slot slot:
                Send(slot);
                break;
            case Begin:
                foreach (var slot in _slots) Issue(slot);
                break;
            case Sweep:
                OnSweep();
                break;
            case Drain:
                _drainWaiter = Sender;
                CheckDrained();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnReply(object? correlationId, int keys, int errors, bool miss)
    {
        if (correlationId is not Slot { Outstanding: true } slot)
        {
            _stats.Unattributed++;
            return;
        }
        slot.Outstanding = false;
        _outstanding--;
        _stats.Completed(slot.Start, keys, errors, miss);
        Issue(slot);
    }

    private void OnFailure(Status.Failure failure)
    {
        if ((failure.Cause as CouchbaseException)?.CorrelationId is not Slot { Outstanding: true } slot)
        {
            _stats.Unattributed++;
            _stats.FirstError ??= "failure without correlation id: " + failure.Cause?.Message;
            return;
        }
        slot.Outstanding = false;
        _outstanding--;
        _stats.Failed(slot.Start, failure.Cause);
        Issue(slot);
    }

    /// <summary>Starts the slot's next command, now or after the rate limiter's wait.</summary>
    private void Issue(Slot slot)
    {
        if (RunClock.CurrentPhase == Phase.Stop)
        {
            CheckDrained();
            return;
        }
        slot.Outstanding = true; // from now on the slot counts as busy, even while it waits for a token
        slot.Start = 0;          // not on the wire yet: the sweep leaves it alone
        _outstanding++;
        var wait = _limiter?.Reserve() ?? 0;
        if (wait > RateLimiter.MinimumWaitTicks)
            // Not the Akka scheduler: its tick is at least 10 ms, far coarser than the gaps a rate cap makes.
            Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency))
                .ContinueWith(static (_, state) =>
                {
                    var (self, resumed) = ((IActorRef, Slot))state!;
                    self.Tell(resumed, ActorRefs.NoSender);
                }, (Self, slot), TaskScheduler.Default);
        else
            Send(slot);
    }

    private void Send(Slot slot)
    {
        if (RunClock.CurrentPhase == Phase.Stop)
        {
            // A rate-limit wait ended after the run did.
            slot.Outstanding = false;
            _outstanding--;
            CheckDrained();
            return;
        }
        Kv.ICommand command;
        var commands = _workload.Commands;
        if (_workload.NextIsSet(ref _random))
            command = commands.Write(_workload.NextKey(ref _random), slot);
        else if (slot.MultiKeys is { } keys)
        {
            _workload.NextKeys(ref _random, keys);
            command = commands.ReadMany(keys, slot);
        }
        else
            command = commands.Read(_workload.NextKey(ref _random), slot);
        slot.Start = Stopwatch.GetTimestamp();
        _supervisor.Tell(command, Self);
    }

    private void OnSweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var slot in _slots)
        {
            if (!slot.Outstanding || slot.Start == 0 || now - slot.Start < _lostAfterTicks) continue;
            _stats.Lost++;
            _stats.FirstError ??= "a command got no reply within its deadline + 2 s";
            slot.Outstanding = false;
            _outstanding--;
            Issue(slot);
        }
    }

    private void CheckDrained()
    {
        if (_drainWaiter is null || _outstanding > 0) return;
        _drainWaiter.Tell(Drained.Instance);
        _drainWaiter = null;
    }
}
