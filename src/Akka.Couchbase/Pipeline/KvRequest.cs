using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Observability;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// One command on its way through the client. Owned by exactly one actor at a time (it is handed over by message),
/// and completed exactly once: <see cref="Complete"/> ignores any later attempt. Requests made for callers' commands
/// come from a <see cref="KvRequestPool"/> and go back to it once answered from the server (<see cref="Recycle"/>).
/// The key is encoded once, into bytes the request owns (<see cref="SetKey"/>), for the length check, the routing
/// hash and the encoder alike; the frame's size is computed once (<see cref="EncodedSize"/>).
/// </summary>
internal sealed class KvRequest : INoSerializationVerificationNeeded
{
    private byte[]? _keyBytes;
    private int _encodedSize;

    /// <summary>A request for <paramref name="command"/> that sends no key (yet): see <see cref="SetKey"/>.</summary>
    public KvRequest(Kv.ICommand command, string key, Opcode opcode, TimeSpan timeout, ReplyTarget replyTo)
    {
        Initialize(command, key, opcode, timeout, replyTo);
    }

    /// <summary>Sets every field for a new command (a fresh object, or one reused from a <see cref="KvRequestPool"/>).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(Command), nameof(Key))]
    public void Initialize(Kv.ICommand command, string key, Opcode opcode, TimeSpan timeout, ReplyTarget replyTo)
    {
        Command = command;
        Key = key;
        KeyLength = 0;
        _encodedSize = 0;
        Opcode = opcode;
        Timeout = timeout;
        ReplyTo = replyTo;
        StartTimestamp = Stopwatch.GetTimestamp();
        DeadlineTimestamp = StartTimestamp + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Value = default;
        Expiry = 0;
        Cas = 0;
        Quiet = false;
        CollectionPath = null;
        CollectionId = 0;
        Sequence = 0;
        VBucket = 0;
        NodeName = null;
        Opaque = 0;
        State = RequestState.Queued;
        WasWritten = false;
        Attempts = 0;
        RetryReasons = null;
        LastStatus = null;
        IsCompleted = false;
        Pool = null;
        Telemetry = null;
        Activity = null;
        ServerDurationMicros = -1;
        DispatchTimestamp = 0;
    }

    /// <summary>Drops every reference (to the command, its value, the caller) before the object waits in a pool.</summary>
    internal void Clear()
    {
        Command = null!;
        Key = null!;
        ReplyTo = default;
        Value = default;
        NodeName = null;
        RetryReasons = null;
        CollectionPath = null;
        Pool = null;
        Telemetry = null;
        Activity = null;
    }

    /// <summary>The pool this request came from; null for requests that are never reused (internal ones).</summary>
    internal KvRequestPool? Pool { get; set; }

    /// <summary>
    /// Gives an answered request back to its pool. Only for the one caller that holds the last reference (the
    /// connection, right after answering it from the server's response, see <see cref="KvRequestPool"/>).
    /// </summary>
    public void Recycle()
    {
        if (IsCompleted && Pool is { } pool) pool.Return(this);
    }

    public Kv.ICommand Command { get; private set; }
    /// <summary>The key (or, for an internal request that sends none, what it is about), for routing and messages.</summary>
    public string Key { get; private set; }
    /// <summary>Length of the key in UTF-8 (checked at admission); 0 for requests that send no key.</summary>
    public int KeyLength { get; private set; }
    public Opcode Opcode { get; set; }
    public TimeSpan Timeout { get; private set; }
    public ReplyTarget ReplyTo { get; private set; }
    /// <summary>The sink the reply goes to, if it is not an actor.</summary>
    public IReplySink? Sink => ReplyTo.ReplySink;
    public long StartTimestamp { get; private set; }
    public long DeadlineTimestamp { get; private set; }

    /// <summary>The key's UTF-8 bytes, as sent (empty for requests that send no key).</summary>
    public ReadOnlySpan<byte> KeyBytes => _keyBytes is null ? default : _keyBytes.AsSpan(0, KeyLength);

    /// <summary>
    /// Checks <paramref name="key"/> and encodes it, once, into bytes this request owns (kept across reuses): the
    /// routing hash and the encoder read <see cref="KeyBytes"/>.
    /// </summary>
    /// <exception cref="KvInvalidArgumentException">The key is empty, not valid UTF-16, or over 250 UTF-8 bytes.</exception>
    public void SetKey(string key)
    {
        KeyLength = WireKey.Encode(key, _keyBytes ??= new byte[WireKey.MaxBytes]);
        Key = key;
        _encodedSize = 0;
    }

    /// <summary>The length of this request's frame, computed once its fields are set (before it is first routed).</summary>
    public int EncodedSize => _encodedSize != 0 ? _encodedSize : _encodedSize = RequestEncoder.Size(this);

    /// <summary>Value, flags and datatype of store commands, encoded once at admission.</summary>
    public EncodedValue Value;
    /// <summary>The expiry field (already converted to the wire's seconds form), or lock time for GETL.</summary>
    public uint Expiry;
    /// <summary>CAS sent in the header.</summary>
    public ulong Cas;
    /// <summary>Counter delta and initial value (from the command; 0 for other commands).</summary>
    public ulong Delta => Command is Kv.CounterCommand c ? c.Delta : 0;
    public ulong Initial => Command is Kv.CounterCommand c ? c.Initial ?? 0 : 0;
    /// <summary>A missing document counts as success (Remove with Quiet).</summary>
    public bool Quiet;

    /// <summary>
    /// <c>scope.collection</c> of the document's collection, or null for the default collection (id 0, which needs no
    /// lookup): the supervisor resolves the path to <see cref="CollectionId"/> before the request is sent.
    /// </summary>
    public string? CollectionPath;

    /// <summary>
    /// The collection id put in front of the key (unsigned LEB128) on connections that negotiated Collections; 0 is
    /// the default collection.
    /// </summary>
    public uint CollectionId;

    /// <summary>Admission order at the supervisor: replays after a map change go out in this order.</summary>
    public long Sequence;
    public int VBucket;
    public string? NodeName;
    public uint Opaque;
    public RequestState State;
    /// <summary>Set once any attempt of it reached the socket (a lost answer is then not "never sent").</summary>
    public bool WasWritten;
    public int Attempts;
    public List<string>? RetryReasons;
    public KvStatus? LastStatus;
    public bool IsCompleted { get; private set; }

    /// <summary>
    /// Where the request is measured (its client's bucket, then its node's once a connection takes it); null for
    /// requests the client makes for itself, which are not measured.
    /// </summary>
    public TelemetryEndpoint? Telemetry;

    /// <summary>The operation's span, when a listener sampled it (see <see cref="KvSpans"/>).</summary>
    public Activity? Activity;

    /// <summary>How long the node worked on the last attempt, as its response said (HELLO Tracing); -1 when it did not say.</summary>
    public double ServerDurationMicros;

    /// <summary>When its last attempt went into a connection's batch (Stopwatch timestamp), while slow operations are reported; else 0.</summary>
    public long DispatchTimestamp;

    public object? CorrelationId => Command.CorrelationId;

    /// <summary>May be sent again after it was written (reads only, sub-document lookups included; spec §8.3).</summary>
    public bool IsIdempotent => Opcode is Opcode.Get or Opcode.GetReplica or Opcode.Noop or Opcode.GetClusterConfig
        or Opcode.SubdocMultiLookup;

    public bool IsExpired(long now) => now >= DeadlineTimestamp;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);

    public void AddRetryReason(string reason) => (RetryReasons ??= new List<string>(2)).Add(reason);

    public KvFailureContext Context(int inFlight, int queueDepth) => new(
        Opcode, Key, NodeName, VBucket, LastStatus, Elapsed, Timeout, Attempts,
        (IReadOnlyList<string>?)RetryReasons ?? Array.Empty<string>(), inFlight, queueDepth, CorrelationId);

    /// <summary>Delivers the reply; returns false (and does nothing) if the request was already answered.</summary>
    public bool Complete(object reply)
    {
        if (IsCompleted) return false;
        IsCompleted = true;
        if (Telemetry is { } telemetry) KvTelemetry.Completed(this, telemetry, reply);
        ReplyTo.Send(reply, this);
        return true;
    }

    /// <summary>Delivers a failure reply.</summary>
    public bool Fail(CouchbaseException exception) => Complete(new Status.Failure(exception));

    /// <summary>A mutation that reached the socket: once its reply is lost, whether it was applied is unknown.</summary>
    public bool IsAmbiguousIfLost => State == RequestState.Written && !IsIdempotent;

    /// <summary>A request the client made for itself (<see cref="InternalCommand"/>), not for a caller's command.</summary>
    public bool IsInternal => Command is InternalCommand;

    /// <summary>Fails it as ambiguous: it was written (to <see cref="NodeName"/>), and <paramref name="what"/> before its reply.</summary>
    public bool FailAmbiguous(string what, int inFlight, int queueDepth) => Fail(new KvAmbiguousException(
        $"{Opcode} '{Key}' was written to {NodeName ?? "its node"} but {what} before its reply; it may or may not have been applied",
        Context(inFlight, queueDepth)));

    public override string ToString() => $"{Opcode} '{Key}' (vb {VBucket}, node {NodeName ?? "?"}, opaque {Opaque})";
}
