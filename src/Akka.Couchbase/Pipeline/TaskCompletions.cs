using System.Collections.Concurrent;

namespace Akka.Couchbase.Pipeline;

/// <summary>A task the client completes through <see cref="TaskCompletions"/>.</summary>
internal interface IBatchedCompletion
{
    /// <summary>Completes the task with the reply, running its continuations on the calling (pool) thread.</summary>
    void CompleteNow(object reply);
}

/// <summary>
/// Completes the Task facade's tasks in batches on the thread pool. A reply is never completed on the actor that
/// produced it (user continuations must not run on a connection's thread), and completing each task with
/// <c>RunContinuationsAsynchronously</c> costs one pool dispatch per reply. Instead replies are queued here and one
/// pool work item completes every queued task in turn, with its continuations inline: one dispatch per burst of
/// replies. Replies for one key always go to the same queue, so tasks on one key complete in the order of their
/// replies (the per-key order contract). If a continuation blocks (sync-over-async) for longer than
/// <see cref="Batch.StallMilliseconds"/>, new replies and a periodic check start another drainer, so that a blocked
/// continuation cannot hold back the task it waits for; the blocked drainer leaves once its continuation returns.
/// Only a completion that runs that long counts: a drainer that waits for a pool thread (a busy machine, a GC)
/// is not replaced, since a second drainer could complete one key's tasks out of order.
/// A connection answering a whole socket read wraps it in <see cref="Deferred"/>: its replies are queued as they
/// are decoded and the drainers start once, at the end, so that one read wakes one pool thread per queue (and the
/// continuations send their next commands together, which the connection then writes together).
/// </summary>
internal static class TaskCompletions
{
    private static readonly Batch[] Batches = CreateBatches();
    // Checks for stalled drainers every 20 ms, armed only while a queue holds replies or a drainer runs: an idle
    // client has no timer firing (one timer for the process).
    private static readonly Timer Watchdog = new(static _ => Watch(), null, Timeout.Infinite, Timeout.Infinite);
    private static readonly object WatchdogLock = new();
    private static int s_watchdogArmed;

    private static Batch[] CreateBatches()
    {
        // One queue per four cores: each read's replies then wake few pool threads (on this project's 2-core
        // machines, one), while larger machines still complete unrelated keys in parallel.
        var batches = new Batch[Math.Clamp(Environment.ProcessorCount / 4, 1, 64)];
        for (var i = 0; i < batches.Length; i++) batches[i] = new Batch();
        return batches;
    }

    // Per thread: inside a Deferred scope, which queues got replies whose drainer start is deferred.
    [ThreadStatic] private static int t_deferDepth;
    [ThreadStatic] private static ulong t_deferred;

    /// <summary>Queues the completion of <paramref name="sink"/> with <paramref name="reply"/>; <paramref name="key"/> (if any) picks the queue.</summary>
    public static void Post(IBatchedCompletion sink, object reply, string? key)
    {
        var spread = key is null ? Environment.CurrentManagedThreadId : key.GetHashCode();
        var index = (int)((uint)spread % (uint)Batches.Length);
        if (t_deferDepth > 0) // at most 64 queues (CreateBatches), so t_deferred's bits cover them all
        {
            Batches[index].Enqueue(sink, reply);
            t_deferred |= 1UL << index;
            return;
        }
        Batches[index].Post(sink, reply);
    }

    /// <summary>
    /// Until the returned scope is disposed, replies posted on this thread are queued but their drainers are not
    /// started; disposing starts them (once per queue). Scopes nest. The watchdog covers a scope that never ends.
    /// </summary>
    public static DeferScope Deferred()
    {
        t_deferDepth++;
        return default;
    }

    /// <summary>Ends a <see cref="Deferred"/> scope.</summary>
    public readonly struct DeferScope : IDisposable
    {
        public void Dispose()
        {
            if (--t_deferDepth > 0) return;
            var pending = t_deferred;
            t_deferred = 0;
            while (pending != 0)
            {
                var index = System.Numerics.BitOperations.TrailingZeroCount(pending);
                pending &= pending - 1;
                Batches[index].Poke();
            }
        }
    }

    /// <summary>Arms the watchdog (a drainer is starting); a volatile read when it is armed already.</summary>
    private static void ArmWatchdog()
    {
        if (Volatile.Read(ref s_watchdogArmed) != 0) return;
        lock (WatchdogLock)
        {
            if (Interlocked.Exchange(ref s_watchdogArmed, 1) != 0) return;
            Watchdog.Change(20, 20);
        }
    }

    /// <summary>The watchdog's tick: pokes every queue, and disarms itself once none is busy.</summary>
    private static void Watch()
    {
        var busy = false;
        foreach (var batch in Batches)
        {
            batch.Poke();
            busy |= batch.Busy;
        }
        if (busy) return;
        lock (WatchdogLock)
        {
            Interlocked.Exchange(ref s_watchdogArmed, 0);
            Watchdog.Change(Timeout.Infinite, Timeout.Infinite);
            // A drainer that started while this tick looked (and saw the watchdog still armed) is seen here.
            if (Batches.Any(b => b.Busy) && Interlocked.Exchange(ref s_watchdogArmed, 1) == 0) Watchdog.Change(20, 20);
        }
    }

    internal sealed class Batch : IThreadPoolWorkItem
    {
        /// <summary>How long one completion (a continuation run inline) may take before another drainer starts.</summary>
        public const long StallMilliseconds = 50;
        private readonly ConcurrentQueue<(IBatchedCompletion Sink, object Reply)> _queue = new();
        private int _drainers;
        // When the last completion started (Environment.TickCount64), and how many drainers are inside one now. A
        // queue is stalled when a drainer has been inside one completion for StallMilliseconds: a continuation that
        // blocks. A drainer that waits for a pool thread is not inside one, and a second drainer would not help it
        // (it could only complete one key's tasks out of order).
        private long _progress;
        private int _inside;
        // Bumped when another drainer is started: a drainer that was held up leaves once its completion returns.
        private int _generation;

        /// <summary>Queues without starting a drainer (the caller pokes later).</summary>
        public void Enqueue(IBatchedCompletion sink, object reply) => _queue.Enqueue((sink, reply));

        public void Post(IBatchedCompletion sink, object reply)
        {
            _queue.Enqueue((sink, reply));
            if (Volatile.Read(ref _drainers) == 0)
            {
                if (Interlocked.CompareExchange(ref _drainers, 1, 0) == 0) Schedule();
                return;
            }
            if (Stalled) StartAnother();
        }

        public void Poke()
        {
            if (_queue.IsEmpty) return;
            if (Volatile.Read(ref _drainers) == 0)
            {
                if (Interlocked.CompareExchange(ref _drainers, 1, 0) == 0) Schedule();
            }
            else if (Stalled)
            {
                StartAnother();
            }
        }

        /// <summary>Holds replies, or a drainer runs.</summary>
        public bool Busy => Volatile.Read(ref _drainers) != 0 || !_queue.IsEmpty;

        private bool Stalled => Volatile.Read(ref _inside) > 0 &&
                                Environment.TickCount64 - Volatile.Read(ref _progress) > StallMilliseconds;

        private void StartAnother()
        {
            // Counts as progress: one more drainer per stall, not one per Post.
            Volatile.Write(ref _progress, Environment.TickCount64);
            Interlocked.Increment(ref _generation);
            Interlocked.Increment(ref _drainers);
            Schedule();
        }

        private void Schedule()
        {
            ArmWatchdog();
            // Local to the posting thread (usually a connection's, finishing its mailbox run): the drain then
            // tends to run on that same thread right after, instead of waking another, while idle workers may
            // still steal it. Never inline: continuations do not run inside the actor.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }

        public void Execute()
        {
            var generation = Volatile.Read(ref _generation);
            while (true)
            {
                while (_queue.TryDequeue(out var item))
                {
                    Volatile.Write(ref _progress, Environment.TickCount64);
                    Interlocked.Increment(ref _inside);
                    try
                    {
                        item.Sink.CompleteNow(item.Reply);
                    }
                    catch (Exception)
                    {
                        // A continuation's exception belongs to its own task; never lose the other replies.
                    }
                    Interlocked.Decrement(ref _inside);
                    if (Volatile.Read(ref _generation) != generation)
                    {
                        // Another drainer took over while this completion was held up: leave the queue to it.
                        Interlocked.Decrement(ref _drainers);
                        return;
                    }
                }
                Interlocked.Decrement(ref _drainers);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _drainers, 1, 0) != 0) return;
            }
        }
    }
}
