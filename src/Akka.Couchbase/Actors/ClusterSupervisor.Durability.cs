using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Pipeline.Durability;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Durable mutations (<see cref="Kv.IDurableCommand"/>, the original's persist_to / replicate_to): the mutation goes
/// out as usual, its success comes back here instead of to the caller, and then rounds of OBSERVE go to the key's
/// active node and replicas (from the current map) until enough copies hold the new version, or persisted it,
/// or <c>durability-timeout</c> passes. The delay between rounds grows from 5 ms to 100 ms. <see cref="Kv.Endure"/>
/// starts the same wait for a version already stored; <see cref="Kv.Observe"/> is one round whose copies are the reply.
/// </summary>
internal sealed partial class ClusterSupervisor
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);
    private readonly HashSet<DurabilityWatch> _watches = new();

    /// <summary>
    /// True when the command is about durability (a mutation that asks for it, <see cref="Kv.Observe"/>,
    /// <see cref="Kv.Endure"/>): it has then been sent, watched, answered or refused here.
    /// </summary>
    private bool AdmitDurable(Kv.KeyCommand command, ReplyTarget replyTo)
    {
        switch (command)
        {
            case Kv.Observe:
                StartWatch(new DurabilityWatch(command, null, replyTo), applied: null);
                return true;
            case Kv.Endure endure:
                StartWatch(new DurabilityWatch(command, endure, replyTo),
                    new MutationResult(endure.Key, KvOutcome.Success, endure.Cas, endure.CorrelationId));
                return true;
        }
        if (command is not Kv.IDurableCommand durable || (durable.PersistTo == 0 && durable.ReplicateTo == 0)) return false;
        if (DurabilityProblem(command, durable) is { } problem)
        {
            replyTo.Send(new Status.Failure(new KvInvalidArgumentException(problem, correlationId: command.CorrelationId)));
            return true;
        }
        var watch = new DurabilityWatch(command, durable, replyTo);
        KvRequest request;
        try
        {
            request = _factory.Create(command, ReplyTarget.Sink(new DurableMutationSink(Self, watch)));
        }
        catch (KvInvalidArgumentException e)
        {
            replyTo.Send(new Status.Failure(WithCorrelation(e, command)));
            return true;
        }
        _watches.Add(watch);
        request.Sequence = ++_admitted;
        Route(request);
        return true;
    }

    /// <summary>Observe and Endure: checked here (no mutation goes out), then observed at once.</summary>
    private void StartWatch(DurabilityWatch watch, KvResult? applied)
    {
        var command = watch.Command;
        string? problem;
        try
        {
            RequestFactory.CheckKey(command.Key);
            _factory.TimeoutOf(command);
            problem = command is Kv.IDurableCommand durable ? DurabilityProblem(command, durable)
                : _settings.BucketType == BucketType.Memcached
                    ? $"Observe of key '{command.Key}' refused: memcached buckets have no persistence or replicas to observe"
                    : null;
        }
        catch (KvInvalidArgumentException e)
        {
            problem = e.Message;
        }
        if (problem is not null)
        {
            watch.Reply(new Status.Failure(new KvInvalidArgumentException(problem, correlationId: command.CorrelationId)));
            return;
        }
        _watches.Add(watch);
        if (applied is null) Observe(watch);
        else OnDurability(new DurabilityMessages.Applied(watch, applied));
    }

    private string? DurabilityProblem(Kv.KeyCommand command, Kv.IDurableCommand durable)
    {
        var what = $"{command.GetType().Name} of key '{command.Key}'";
        if (_settings.BucketType == BucketType.Memcached)
            return $"{what} asks for durability, but memcached buckets have no persistence or replicas to observe";
        if (durable.PersistTo is < 0 or > 4)
            return $"{what} asks to be persisted on {durable.PersistTo} nodes; the range is 0 to 4 (the active node and 3 replicas)";
        if (durable.ReplicateTo is < 0 or > 3)
            return $"{what} asks to be replicated to {durable.ReplicateTo} replicas; the range is 0 to 3";
        if (_config is { } map && (durable.ReplicateTo > map.NumReplicas || durable.PersistTo > map.NumReplicas + 1))
            return $"{what} asks for persist-to {durable.PersistTo} and replicate-to {durable.ReplicateTo}, but bucket " +
                   $"'{map.BucketName}' has {map.NumReplicas} replica(s)";
        return null;
    }

    private void OnDurability(object message)
    {
        switch (message)
        {
            case DurabilityMessages.Applied applied:
                var watch = applied.Watch;
                watch.Applied = applied.Result;
                watch.StartTimestamp = Stopwatch.GetTimestamp();
                watch.DeadlineTimestamp = watch.StartTimestamp + (long)(_settings.DurabilityTimeout.TotalSeconds * Stopwatch.Frequency);
                Observe(watch);
                break;
            case DurabilityMessages.NotApplied notApplied:
                Finish(notApplied.Watch, notApplied.Reply);
                break;
            case DurabilityMessages.Observed observed:
                var w = observed.Watch;
                if (w.Done || observed.Round != w.Round) return;
                w.Record(observed.Node, observed.Active, observed.Key);
                if (--w.Outstanding <= 0) Evaluate(w);
                break;
            case DurabilityMessages.Poll poll:
                if (!poll.Watch.Done) Observe(poll.Watch);
                break;
        }
    }

    /// <summary>One round: OBSERVE to the key's active node and each replica node of the current map.</summary>
    private void Observe(DurabilityWatch watch)
    {
        var targets = new List<(NodeSlot Slot, bool Active)>(4);
        var vb = 0;
        if (_config is { } map)
        {
            var active = map.NodeIndexForKey(watch.Key, out vb);
            if (SlotAt(active) is { } a) targets.Add((a, true));
            for (var replica = 1; replica <= map.NumReplicas; replica++)
                if (SlotAt(map.ReplicaNodeIndex(vb, replica)) is { } r) targets.Add((r, false));
        }
        watch.NewRound(targets.Count);
        if (targets.Count == 0)
        {
            Evaluate(watch);
            return;
        }
        // On connections that negotiated Collections the key in the body carries its collection id, as keys do.
        var collectionId = ObservedCollectionId(watch.Command);
        var plain = new EncodedValue(ObservedKey.RequestBody(vb, watch.Key, null), 0, DataType.Raw);
        var prefixed = new EncodedValue(ObservedKey.RequestBody(vb, watch.Key, collectionId ?? 0), 0, DataType.Raw);
        var timeout = ObserveTimeout(watch);
        foreach (var (slot, isActive) in targets)
        {
            var body = slot.Collections ? prefixed : plain;
            var request = new KvRequest(new InternalCommand("observe"), watch.Key, Opcode.Observe, timeout,
                ReplyTarget.Sink(new ObserveSink(Self, watch, watch.Round, slot.Address, isActive))) { Value = body };
            slot.Actor.Tell(request, ActorRefs.NoSender);
        }
    }

    /// <summary>
    /// How long one round's OBSERVE requests may wait for their nodes: a <see cref="Kv.Observe"/>'s own timeout (else
    /// the operation timeout); for a durable mutation or <see cref="Kv.Endure"/> no longer than what is left of
    /// <c>durability-timeout</c>, so that a node that does not answer cannot hold the reply past it.
    /// </summary>
    private TimeSpan ObserveTimeout(DurabilityWatch watch)
    {
        var timeout = watch.Command.Timeout ?? _settings.OperationTimeout;
        if (watch.ReportOnly) return timeout;
        var left = TimeSpan.FromSeconds((double)(watch.DeadlineTimestamp - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
        return left < timeout ? (left > MinObserveTimeout ? left : MinObserveTimeout) : timeout;
    }

    /// <summary>The shortest OBSERVE deadline: a round that starts at the durability deadline still gets one answer's time.</summary>
    private static readonly TimeSpan MinObserveTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>The id of the watched command's collection (0 for the default one), or null when it is not known now.</summary>
    private uint? ObservedCollectionId(Kv.KeyCommand command)
    {
        var scope = command.Scope ?? _settings.DefaultScope;
        var collection = command.Collection ?? _settings.DefaultCollection;
        if (CollectionName.IsDefault(scope, collection)) return 0;
        return _collections.TryGetValue(CollectionName.Path(scope, collection), out var state) ? state.Id : null;
    }

    private void Evaluate(DurabilityWatch watch)
    {
        if (watch.ReportOnly)
        {
            var copies = watch.Copies.OrderByDescending(c => c.IsActive).ToList();
            Finish(watch, new ObserveResult(watch.Key, KvOutcome.Success, copies.FirstOrDefault(c => c.IsActive)?.Cas ?? 0,
                watch.Command.CorrelationId, copies));
            return;
        }
        if (watch.IsMet)
        {
            Finish(watch, watch.Applied!);
            return;
        }
        if (watch.IsExpired(Stopwatch.GetTimestamp()))
        {
            var applied = watch.Applied!;
            Finish(watch, new Status.Failure(new KvDurabilityException(
                $"{watch.Command.GetType().Name} of key '{watch.Key}' was applied (CAS 0x{applied.Cas:x}) but, after " +
                $"{watch.Elapsed.TotalMilliseconds:F0}ms and {watch.Round} rounds of OBSERVE, was persisted on {watch.Persisted} of " +
                $"{watch.PersistTo} required node(s) and present on {watch.Replicated} of {watch.ReplicateTo} required " +
                "replica(s) (akka.couchbase.durability-timeout)", applied)));
            return;
        }
        var delay = TimeSpan.FromMilliseconds(Math.Min(MaxPollDelay.TotalMilliseconds, 5 * Math.Pow(2, Math.Min(watch.Round, 10))));
        Timers.StartSingleTimer(watch, new DurabilityMessages.Poll(watch), delay); // the watch is the timer's key
    }

    private void Finish(DurabilityWatch watch, object reply)
    {
        if (!watch.Reply(reply)) return;
        _watches.Remove(watch);
        Timers.Cancel(watch);
    }

    /// <summary>The client stops: every durable mutation still watched gets its one reply.</summary>
    private void FailWatches()
    {
        foreach (var watch in _watches.ToList())
            watch.Reply(new Status.Failure(new KvNodeUnavailableException(
                $"{watch.Command.GetType().Name} of key '{watch.Key}': the client was stopped before its durability was known",
                correlationId: watch.Command.CorrelationId)));
        _watches.Clear();
    }
}
