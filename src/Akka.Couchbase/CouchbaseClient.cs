using Akka.Actor;
using Akka.Couchbase.Actors;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase;

/// <summary>
/// The Task facade over one cluster supervisor: <c>await client.GetAsync&lt;T&gt;(key)</c>. Every call sends one
/// <see cref="Kv"/> command and completes with its reply; expected outcomes (misses, CAS mismatches...) are results,
/// genuine failures fault the task with a <see cref="CouchbaseException"/>. It does not use Ask: the reply completes
/// the task directly, which keeps the convenient path close to the cost of a Tell.
/// </summary>
public sealed partial class CouchbaseClient
{
    private readonly ActorSystem _system;

    internal CouchbaseClient(IActorRef supervisor, CouchbaseSettings settings, ActorSystem system)
    {
        Supervisor = supervisor;
        Settings = settings;
        _system = system;
    }

    /// <summary>The supervisor actor: Tell or Ask it <see cref="Kv"/> commands directly for the fast path.</summary>
    public IActorRef Supervisor { get; }

    /// <summary>The settings this client runs with.</summary>
    public CouchbaseSettings Settings { get; }

    /// <summary>Sends any command and returns its reply as <typeparamref name="TReply"/>.</summary>
    public Task<TReply> SendAsync<TReply>(Kv.ICommand command, CancellationToken cancellationToken = default)
    {
        if (command is null) throw new ArgumentNullException(nameof(command));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TReply>(cancellationToken);
        if (_system.WhenTerminated.IsCompleted)
            return Task.FromException<TReply>(new KvClientStoppedException(
                $"{command.GetType().Name} not sent: the Couchbase client stopped (its actor system terminated)",
                correlationId: command.CorrelationId));
        var sink = new TaskSink<TReply>(command);
        if (Observability.KvSpans.Wanted) sink.KeepCallerActivity(System.Diagnostics.Activity.Current);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static s => ((TaskSink<TReply>)s!).Cancel(), sink);
            sink.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
                TaskScheduler.Default);
        }
        Supervisor.Tell(sink, ActorRefs.NoSender);
        return sink.Task;
    }

    /// <summary>
    /// Whether a plain call (<see cref="IKeyCall"/>) may go as one object, its task and its command at once: not while
    /// spans are wanted (the general path keeps the caller's activity), nor once the client stopped (the general
    /// path says so).
    /// </summary>
    internal bool SendsPlainCalls => !Observability.KvSpans.Wanted && !_system.WhenTerminated.IsCompleted;

    /// <summary>Sends a plain call (see <see cref="SendsPlainCalls"/>) and returns its task.</summary>
    internal Task<TReply> SendPlain<TReply>(KeyCall<TReply> call)
    {
        Supervisor.Tell(call, ActorRefs.NoSender);
        return call.Task;
    }

    /// <summary>The client's view of the cluster: nodes and their connections, the map revision, what is held.</summary>
    public Task<Kv.Diagnostics> DiagnosticsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<Kv.Diagnostics>(new Kv.GetDiagnostics(), cancellationToken);

    /// <summary>Completes when the client has a connected node (the original's <c>connect()</c>); faults if bootstrap fails.</summary>
    public Task<Kv.Connected> ConnectAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync<Kv.Connected>(new Kv.AwaitConnected { Timeout = timeout }, cancellationToken);
}
