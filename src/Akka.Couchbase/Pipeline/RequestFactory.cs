using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Turns a public command into a <see cref="KvRequest"/>: checks the key and the value before anything reaches
/// the wire (empty key, key over 250 UTF-8 bytes, value over the configured maximum) and encodes both once.
/// Bad input throws <see cref="KvInvalidArgumentException"/> naming the problem.
/// </summary>
internal sealed partial class RequestFactory
{
    private readonly CouchbaseSettings _settings;
    private readonly ITranscoder _transcoder;

    private readonly KvRequestPool _pool;

    public RequestFactory(CouchbaseSettings settings, ITranscoder transcoder)
    {
        _settings = settings;
        _transcoder = transcoder;
        // Enough for every node's in-flight window several times over; beyond it answered requests go to the GC.
        _pool = new KvRequestPool(Math.Max(1024, Math.Min(64 * 1024, 4 * settings.MaxInFlightPerNode)));
    }

    /// <summary>Where the requests it makes are measured (the client's endpoint); null: not measured.</summary>
    public Observability.TelemetryEndpoint? Telemetry { get; init; }

    /// <summary>
    /// The trace parent of the command being admitted (set by the supervisor before each command while spans are
    /// wanted): the spans of the requests made for it are its children.
    /// </summary>
    public System.Diagnostics.ActivityContext TraceParent { get; set; }

    /// <summary>Starts the span of a request made for a caller's command, if a listener wants spans.</summary>
    private void StartSpan(KvRequest request)
    {
        if (Telemetry is { } telemetry && Observability.KvSpans.Wanted)
            request.Activity = Observability.KvSpans.Start(request, telemetry, TraceParent);
    }

    /// <summary>Where answered requests go back to be reused.</summary>
    public KvRequestPool Pool => _pool;

    /// <summary>
    /// The request for <paramref name="command"/>, its reply going to <paramref name="replyTo"/>: the key is checked
    /// and encoded first, then the rest of the command.
    /// </summary>
    /// <exception cref="KvInvalidArgumentException">Something in the command is not valid (the message names it).</exception>
    public KvRequest Create(Kv.KeyCommand command, ReplyTarget replyTo)
    {
        var request = _pool.Rent(command, command.Key, Opcode.Get, command.Timeout ?? _settings.OperationTimeout, replyTo);
        request.Telemetry = Telemetry;
        try
        {
            CheckTimeout(request.Timeout);
            request.CollectionPath = CollectionOf(command.Scope, command.Collection, command.GetType().Name, command.Key);
            Describe(command, request);
            StartSpan(request);
            return request;
        }
        catch (KvInvalidArgumentException)
        {
            _pool.Return(request); // nothing else has seen it
            throw;
        }
    }

    /// <summary>
    /// The command's <c>scope.collection</c> (its names, else the client's defaults), or null for the default
    /// collection; names are checked, and memcached buckets have no other collection.
    /// </summary>
    private string? CollectionOf(string? commandScope, string? commandCollection, string commandName, string key)
    {
        var scope = commandScope ?? _settings.DefaultScope;
        var collection = commandCollection ?? _settings.DefaultCollection;
        if (CollectionName.IsDefault(scope, collection)) return null;
        // Names are checked and joined once per pair: a command costs one lookup, and no string.
        if (_collectionPaths.TryGetValue((scope, collection), out var known)) return known;
        if (CollectionName.Problem(scope) is { } badScope)
            throw new KvInvalidArgumentException($"{commandName} of key '{key}': the scope name '{scope}' {badScope}");
        if (CollectionName.Problem(collection) is { } badCollection)
            throw new KvInvalidArgumentException($"{commandName} of key '{key}': the collection name '{collection}' {badCollection}");
        if (_settings.BucketType == BucketType.Memcached)
            throw new KvInvalidArgumentException($"{commandName} of key '{key}' refused: collection {scope}.{collection} " +
                                                 "named, but memcached buckets have only _default._default");
        var path = CollectionName.Path(scope, collection);
        if (_collectionPaths.Count < MaxCachedCollectionPaths) _collectionPaths[(scope, collection)] = path;
        return path;
    }

    /// <summary>Checked collection names and their <c>scope.collection</c> path (bounded: beyond it, checked each time).</summary>
    private readonly Dictionary<(string Scope, string Collection), string> _collectionPaths = new();

    private const int MaxCachedCollectionPaths = 4096;

    /// <summary>Sets the opcode and the fields of <paramref name="command"/> on its request, checking each.</summary>
    private void Describe(Kv.KeyCommand command, KvRequest request)
    {
        var key = command.Key;
        switch (command)
        {
            case Kv.Get:
                request.Opcode = Opcode.Get;
                return;
            case Kv.GetReplica when _settings.BucketType == BucketType.Memcached:
                throw new KvInvalidArgumentException(
                    $"GetReplica of key '{key}' refused: memcached buckets have no replicas (use a Couchbase bucket)");
            case Kv.GetReplica replica:
                if (replica.Replica is < 1 or > 3)
                    throw new KvInvalidArgumentException(
                        $"GetReplica of key '{key}' asks for replica {replica.Replica}; replicas are numbered 1 to 3");
                request.Opcode = Opcode.GetReplica;
                return;
            case Kv.GetAndTouch gat:
                request.Expiry = Expiry.ToWire(gat.Expiry, key);
                request.Opcode = Opcode.GetAndTouch;
                return;
            case Kv.GetAndLock or Kv.Unlock when _settings.BucketType == BucketType.Memcached:
                throw new KvInvalidArgumentException(
                    $"{command.GetType().Name} of key '{key}' refused: memcached buckets have no locks (use a Couchbase bucket)");
            case Kv.GetAndLock gal:
                if (gal.LockTime < TimeSpan.Zero)
                    throw new KvInvalidArgumentException($"lock time for key '{key}' is negative ({gal.LockTime})");
                request.Expiry = (uint)Math.Ceiling(gal.LockTime.TotalSeconds);
                request.Opcode = Opcode.GetLocked;
                return;
            case Kv.Unlock unlock:
                if (unlock.Cas == 0) throw new KvInvalidArgumentException($"unlock of key '{key}' needs the CAS that GetAndLock returned");
                request.Cas = unlock.Cas;
                request.Opcode = Opcode.UnlockKey;
                return;
            case Kv.Touch touch:
                request.Expiry = Expiry.ToWire(touch.Expiry, key);
                request.Opcode = Opcode.Touch;
                return;
            case Kv.Upsert upsert:
                Store(request, Opcode.Set, upsert.Value, upsert.Expiry, upsert.Cas);
                return;
            case Kv.Insert insert:
                Store(request, Opcode.Add, insert.Value, insert.Expiry, 0);
                return;
            case Kv.Replace replace:
                Store(request, Opcode.Replace, replace.Value, replace.Expiry, replace.Cas);
                return;
            case Kv.Append append:
                Concat(request, Opcode.Append, append.Value, append.Cas);
                return;
            case Kv.Prepend prepend:
                Concat(request, Opcode.Prepend, prepend.Value, prepend.Cas);
                return;
            case Kv.Remove remove:
                request.Cas = remove.Cas;
                request.Quiet = remove.Quiet;
                request.Opcode = Opcode.Delete;
                return;
            case Kv.CounterCommand counter:
                // 0xffffffff: do not create when absent (spec §2.4).
                request.Expiry = counter.Initial is null ? uint.MaxValue : Expiry.ToWire(counter.Expiry, key);
                request.Opcode = counter is Kv.Increment ? Opcode.Increment : Opcode.Decrement;
                return;
            case Kv.LookupIn or Kv.MutateIn when _settings.BucketType == BucketType.Memcached:
                throw new KvInvalidArgumentException(
                    $"{command.GetType().Name} of key '{key}' refused: memcached buckets have no sub-document commands (use a Couchbase bucket)");
            case Kv.LookupIn lookup:
                DescribeLookupIn(lookup, request);
                return;
            case Kv.MutateIn mutate:
                DescribeMutateIn(mutate, request);
                return;
            default:
                throw new KvInvalidArgumentException($"unsupported command type {command.GetType().Name}");
        }
    }

    /// <summary>A GET of one key of a multi command, replying to its aggregator (the timeout already checked).</summary>
    /// <exception cref="KvInvalidArgumentException">The key is not valid.</exception>
    public KvRequest CreateGet(Kv.MultiCommand owner, string key, TimeSpan timeout, IReplySink aggregator)
    {
        var request = _pool.Rent(owner, key, Opcode.Get, timeout, ReplyTarget.Sink(aggregator));
        request.Telemetry = Telemetry;
        try
        {
            request.CollectionPath = CollectionOf(owner.Scope, owner.Collection, owner.GetType().Name, key);
            StartSpan(request);
            return request;
        }
        catch (KvInvalidArgumentException)
        {
            _pool.Return(request);
            throw;
        }
    }

    /// <summary>
    /// The request of a plain Task facade call (<see cref="IKeyCall"/>): what <see cref="Create(Kv.KeyCommand, ReplyTarget)"/>
    /// makes of the command it stands for, checked the same way, the call being its command.
    /// </summary>
    /// <exception cref="KvInvalidArgumentException">The key, the collection's names or the value are not valid.</exception>
    public KvRequest Create(IKeyCall call)
    {
        var request = _pool.Rent(call, call.Key, Opcode.Get, _settings.OperationTimeout, ReplyTarget.Sink(call));
        request.Telemetry = Telemetry;
        try
        {
            switch (call)
            {
                case GetCall:
                    request.CollectionPath = CollectionOf(call.ScopeName, call.CollectionName, nameof(Kv.Get), call.Key);
                    request.Opcode = Opcode.Get;
                    break;
                case UpsertCall upsert:
                    request.CollectionPath = CollectionOf(call.ScopeName, call.CollectionName, nameof(Kv.Upsert), call.Key);
                    Store(request, Opcode.Set, upsert.Value, upsert.Expiry, upsert.Cas);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(call), call.GetType().Name, "not a call the factory knows");
            }
            StartSpan(request);
            return request;
        }
        catch (KvInvalidArgumentException)
        {
            _pool.Return(request);
            throw;
        }
    }

    /// <summary>The command's deadline: its own, else <c>operation-timeout</c>.</summary>
    /// <exception cref="KvInvalidArgumentException">It is not positive.</exception>
    public TimeSpan TimeoutOf(Kv.ICommand command)
    {
        var timeout = command.Timeout ?? _settings.OperationTimeout;
        CheckTimeout(timeout);
        return timeout;
    }

    private static void CheckTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
            throw new KvInvalidArgumentException($"timeout must be positive, was {timeout}");
    }

    /// <summary>Checks a key without making a request (not empty, valid UTF-16, at most 250 UTF-8 bytes).</summary>
    /// <exception cref="KvInvalidArgumentException">It is not valid.</exception>
    public static void CheckKey(string? key) => WireKey.Encode(key, stackalloc byte[WireKey.MaxBytes]);

    private void Store(KvRequest request, Opcode opcode, object? value, TimeSpan expiry, ulong cas)
    {
        request.Value = Encode(request.Key, value);
        request.Expiry = Expiry.ToWire(expiry, request.Key);
        request.Cas = cas;
        request.Opcode = opcode;
    }

    private void Concat(KvRequest request, Opcode opcode, object? value, ulong cas)
    {
        var key = request.Key;
        if (value is null) throw new KvInvalidArgumentException($"{opcode} to key '{key}' has no value");
        var encoded = value switch
        {
            string s => new EncodedValue(Encoding.UTF8.GetBytes(s), CommonFlags.String, DataType.Raw),
            byte[] b => new EncodedValue(b, CommonFlags.Binary, DataType.Raw),
            ReadOnlyMemory<byte> m => new EncodedValue(m, CommonFlags.Binary, DataType.Raw),
            _ => throw new KvInvalidArgumentException(
                $"{opcode} to key '{key}' takes a string or bytes, not {value.GetType().Name}"),
        };
        CheckSize(key, encoded.Bytes.Length);
        request.Value = encoded;
        request.Cas = cas;
        request.Opcode = opcode;
    }

    private EncodedValue Encode(string key, object? value)
    {
        EncodedValue encoded;
        try
        {
            encoded = value is EncodedValue ready ? ready : _transcoder.Encode(value);
        }
        catch (Exception e) when (e is not KvInvalidArgumentException)
        {
            throw new KvInvalidArgumentException(
                $"value for key '{key}' ({value?.GetType().Name ?? "null"}) could not be encoded: {e.Message}", inner: e);
        }
        CheckSize(key, encoded.Bytes.Length);
        return encoded;
    }

    private void CheckSize(string key, int length)
    {
        if (length > _settings.MaxValueSize)
            throw new KvInvalidArgumentException(
                $"value for key '{WireText.Printable(key)}' is {length} bytes; the limit (akka.couchbase.max-value-size) is {_settings.MaxValueSize}");
    }

}
