using System.Text;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Actors;

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

    public RequestFactory(CouchbaseSettings settings, ITranscoder transcoder)
    {
        _settings = settings;
        _transcoder = transcoder;
    }

    public KvRequest Create(Kv.KeyCommand command, IActorRef? replyTo, IReplySink? sink)
    {
        var key = command.Key;
        var keyBytes = KeyLength(key);
        var timeout = TimeoutOf(command);
        switch (command)
        {
            case Kv.Get:
                return new KvRequest(command, key, keyBytes, Opcode.Get, timeout, replyTo, sink);
            case Kv.GetAndTouch gat:
                return new KvRequest(command, key, keyBytes, Opcode.GetAndTouch, timeout, replyTo, sink)
                    { Expiry = Expiry.ToWire(gat.Expiry, key) };
            case Kv.GetAndLock or Kv.Unlock when _settings.BucketType == BucketType.Memcached:
                throw new KvInvalidArgumentException(
                    $"{command.GetType().Name} of key '{key}' refused: memcached buckets have no locks (use a Couchbase bucket)");
            case Kv.GetAndLock gal:
                if (gal.LockTime < TimeSpan.Zero)
                    throw new KvInvalidArgumentException($"lock time for key '{key}' is negative ({gal.LockTime})");
                return new KvRequest(command, key, keyBytes, Opcode.GetLocked, timeout, replyTo, sink)
                    { Expiry = (uint)Math.Ceiling(gal.LockTime.TotalSeconds) };
            case Kv.Unlock unlock:
                if (unlock.Cas == 0) throw new KvInvalidArgumentException($"unlock of key '{key}' needs the CAS that GetAndLock returned");
                return new KvRequest(command, key, keyBytes, Opcode.UnlockKey, timeout, replyTo, sink) { Cas = unlock.Cas };
            case Kv.Touch touch:
                return new KvRequest(command, key, keyBytes, Opcode.Touch, timeout, replyTo, sink)
                    { Expiry = Expiry.ToWire(touch.Expiry, key) };
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
                return new KvRequest(command, key, keyBytes, Opcode.Delete, timeout, replyTo, sink)
                    { Cas = remove.Cas, Quiet = remove.Quiet };
            case Kv.CounterCommand counter:
                return new KvRequest(command, key, keyBytes, counter is Kv.Increment ? Opcode.Increment : Opcode.Decrement,
                    timeout, replyTo, sink)
                {
                    // 0xffffffff: do not create when absent (spec §2.4).
                    Expiry = counter.Initial is null ? uint.MaxValue : Expiry.ToWire(counter.Expiry, key),
                };
            default:
                throw new KvInvalidArgumentException($"unsupported command type {command.GetType().Name}");
        }
    }

    /// <summary>A GET of one key of a multi command, replying to its aggregator (the timeout already checked).</summary>
    public KvRequest CreateGet(Kv.MultiCommand owner, string key, TimeSpan timeout, IReplySink aggregator) =>
        new(owner, key, KeyLength(key), Opcode.Get, timeout, null, aggregator);

    public TimeSpan TimeoutOf(Kv.ICommand command)
    {
        var timeout = command.Timeout ?? _settings.OperationTimeout;
        if (timeout <= TimeSpan.Zero)
            throw new KvInvalidArgumentException($"timeout must be positive, was {timeout}");
        return timeout;
    }

    /// <summary>Checks the key and returns its length in UTF-8 (the bytes themselves are written into the batch).</summary>
    public static int KeyLength(string? key)
    {
        if (string.IsNullOrEmpty(key)) throw new KvInvalidArgumentException("key is empty");
        var count = Encoding.UTF8.GetByteCount(key);
        if (count > MaxKeyBytes)
            throw new KvInvalidArgumentException(
                $"key '{Shorten(key)}' is {count} UTF-8 bytes; the limit is {MaxKeyBytes}");
        return count;
    }

    private KvRequest Store(Kv.KeyCommand command, Opcode opcode, object? value, TimeSpan expiry, ulong cas,
        int keyBytes, TimeSpan timeout, IActorRef? replyTo, IReplySink? sink)
    {
        var encoded = Encode(command.Key, value);
        return new KvRequest(command, command.Key, keyBytes, opcode, timeout, replyTo, sink)
            { Value = encoded, Expiry = Expiry.ToWire(expiry, command.Key), Cas = cas };
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
        return new KvRequest(command, command.Key, keyBytes, opcode, timeout, replyTo, sink) { Value = encoded, Cas = cas };
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
                $"value for key '{Shorten(key)}' is {length} bytes; the limit (akka.couchbase.max-value-size) is {_settings.MaxValueSize}");
    }

    private static string Shorten(string key) => key.Length <= 40 ? key : key.Substring(0, 40) + "...";
}
