using System.Text;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Turns a public command into a <see cref="KvRequest"/>: checks the key and the value before anything reaches
/// the wire (empty key, key over 250 UTF-8 bytes, value over the configured maximum) and encodes the value once.
/// Bad input throws <see cref="KvInvalidArgumentException"/> naming the problem.
/// </summary>
internal sealed class RequestFactory
{
    public const int MaxKeyBytes = 250;
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

    /// <summary>Where answered requests go back to be reused.</summary>
    public KvRequestPool Pool => _pool;

    public KvRequest Create(Kv.KeyCommand command, IActorRef? replyTo, IReplySink? sink)
    {
        var key = command.Key;
        var keyBytes = KeyLength(key);
        var timeout = TimeoutOf(command);
        KvRequest request;
        switch (command)
        {
            case Kv.Get:
                return New(command, key, keyBytes, Opcode.Get, timeout, replyTo, sink);
            case Kv.GetReplica when _settings.BucketType == BucketType.Memcached:
                throw new KvInvalidArgumentException(
                    $"GetReplica of key '{key}' refused: memcached buckets have no replicas (use a Couchbase bucket)");
            case Kv.GetReplica replica:
                if (replica.Replica is < 1 or > 3)
                    throw new KvInvalidArgumentException(
                        $"GetReplica of key '{key}' asks for replica {replica.Replica}; replicas are numbered 1 to 3");
                return New(command, key, keyBytes, Opcode.GetReplica, timeout, replyTo, sink);
            case Kv.GetAndTouch gat:
                var gatExpiry = Expiry.ToWire(gat.Expiry, key);
                request = New(command, key, keyBytes, Opcode.GetAndTouch, timeout, replyTo, sink);
                request.Expiry = gatExpiry;
                return request;
            case Kv.GetAndLock or Kv.Unlock when _settings.BucketType == BucketType.Memcached:
                throw new KvInvalidArgumentException(
                    $"{command.GetType().Name} of key '{key}' refused: memcached buckets have no locks (use a Couchbase bucket)");
            case Kv.GetAndLock gal:
                if (gal.LockTime < TimeSpan.Zero)
                    throw new KvInvalidArgumentException($"lock time for key '{key}' is negative ({gal.LockTime})");
                request = New(command, key, keyBytes, Opcode.GetLocked, timeout, replyTo, sink);
                request.Expiry = (uint)Math.Ceiling(gal.LockTime.TotalSeconds);
                return request;
            case Kv.Unlock unlock:
                if (unlock.Cas == 0) throw new KvInvalidArgumentException($"unlock of key '{key}' needs the CAS that GetAndLock returned");
                request = New(command, key, keyBytes, Opcode.UnlockKey, timeout, replyTo, sink);
                request.Cas = unlock.Cas;
                return request;
            case Kv.Touch touch:
                var touchExpiry = Expiry.ToWire(touch.Expiry, key);
                request = New(command, key, keyBytes, Opcode.Touch, timeout, replyTo, sink);
                request.Expiry = touchExpiry;
                return request;
            case Kv.Upsert upsert:
                return Store(command, Opcode.Set, upsert.Value, upsert.Expiry, upsert.Cas, keyBytes, timeout, replyTo, sink);
            case Kv.Insert insert:
                return Store(command, Opcode.Add, insert.Value, insert.Expiry, 0, keyBytes, timeout, replyTo, sink);
            case Kv.Replace replace:
                return Store(command, Opcode.Replace, replace.Value, replace.Expiry, replace.Cas, keyBytes, timeout, replyTo, sink);
            case Kv.Append append:
                return Concat(command, Opcode.Append, append.Value, append.Cas, keyBytes, timeout, replyTo, sink);
            case Kv.Prepend prepend:
                return Concat(command, Opcode.Prepend, prepend.Value, prepend.Cas, keyBytes, timeout, replyTo, sink);
            case Kv.Remove remove:
                request = New(command, key, keyBytes, Opcode.Delete, timeout, replyTo, sink);
                request.Cas = remove.Cas;
                request.Quiet = remove.Quiet;
                return request;
            case Kv.CounterCommand counter:
                // 0xffffffff: do not create when absent (spec §2.4).
                var counterExpiry = counter.Initial is null ? uint.MaxValue : Expiry.ToWire(counter.Expiry, key);
                request = New(command, key, keyBytes, counter is Kv.Increment ? Opcode.Increment : Opcode.Decrement,
                    timeout, replyTo, sink);
                request.Expiry = counterExpiry;
                return request;
            default:
                throw new KvInvalidArgumentException($"unsupported command type {command.GetType().Name}");
        }
    }

    /// <summary>A GET of one key of a multi command, replying to its aggregator (the timeout already checked).</summary>
    public KvRequest CreateGet(Kv.MultiCommand owner, string key, TimeSpan timeout, IReplySink aggregator) =>
        _pool.Rent(owner, key, KeyLength(key), Opcode.Get, timeout, null, aggregator);

    /// <summary>Every validation throws before this is called, so a rented request is never dropped unused.</summary>
    private KvRequest New(Kv.ICommand command, string key, int keyBytes, Opcode opcode, TimeSpan timeout,
        IActorRef? replyTo, IReplySink? sink) =>
        _pool.Rent(command, key, keyBytes, opcode, timeout, replyTo, sink);

    public TimeSpan TimeoutOf(Kv.ICommand command)
    {
        var timeout = command.Timeout ?? _settings.OperationTimeout;
        if (timeout <= TimeSpan.Zero)
            throw new KvInvalidArgumentException($"timeout must be positive, was {timeout}");
        return timeout;
    }

    /// <summary>
    /// Checks the key (not empty, valid UTF-16, at most 250 UTF-8 bytes) and returns its length in UTF-8 (the bytes
    /// themselves are written into the batch).
    /// </summary>
    public static int KeyLength(string? key)
    {
        if (string.IsNullOrEmpty(key)) throw new KvInvalidArgumentException("key is empty");
        var count = WireText.Utf8Length(key, "key");
        if (count > MaxKeyBytes)
            throw new KvInvalidArgumentException(
                $"key '{WireText.Printable(key)}' is {count} UTF-8 bytes; the limit is {MaxKeyBytes}");
        return count;
    }

    private KvRequest Store(Kv.KeyCommand command, Opcode opcode, object? value, TimeSpan expiry, ulong cas,
        int keyBytes, TimeSpan timeout, IActorRef? replyTo, IReplySink? sink)
    {
        var encoded = Encode(command.Key, value);
        var wireExpiry = Expiry.ToWire(expiry, command.Key);
        var request = New(command, command.Key, keyBytes, opcode, timeout, replyTo, sink);
        request.Value = encoded;
        request.Expiry = wireExpiry;
        request.Cas = cas;
        return request;
    }

    private KvRequest Concat(Kv.KeyCommand command, Opcode opcode, object? value, ulong cas, int keyBytes,
        TimeSpan timeout, IActorRef? replyTo, IReplySink? sink)
    {
        if (value is null) throw new KvInvalidArgumentException($"{opcode} to key '{command.Key}' has no value");
        var encoded = value switch
        {
            string s => new EncodedValue(Encoding.UTF8.GetBytes(s), CommonFlags.String, DataType.Raw),
            byte[] b => new EncodedValue(b, CommonFlags.Binary, DataType.Raw),
            ReadOnlyMemory<byte> m => new EncodedValue(m, CommonFlags.Binary, DataType.Raw),
            _ => throw new KvInvalidArgumentException(
                $"{opcode} to key '{command.Key}' takes a string or bytes, not {value.GetType().Name}"),
        };
        CheckSize(command.Key, encoded.Bytes.Length);
        var request = New(command, command.Key, keyBytes, opcode, timeout, replyTo, sink);
        request.Value = encoded;
        request.Cas = cas;
        return request;
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
