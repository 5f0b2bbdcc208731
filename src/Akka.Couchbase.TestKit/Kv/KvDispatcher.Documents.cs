using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Kv.SubDocument;

namespace Akka.Couchbase.TestKit.Kv;

internal sealed partial class KvDispatcher
{
    private const int MaxKeyLength = 250;
    private const uint RelativeExpiryLimit = 30 * 24 * 3600;
    private const int DefaultLockSeconds = 15;
    private const int MaxLockSeconds = 30;

    private static (Opcode Base, bool Quiet) Normalize(Opcode op) => op switch
    {
        Opcode.GetQ => (Opcode.Get, true),
        Opcode.GetKQ => (Opcode.GetK, true),
        Opcode.SetQ => (Opcode.Set, true),
        Opcode.AddQ => (Opcode.Add, true),
        Opcode.ReplaceQ => (Opcode.Replace, true),
        Opcode.DeleteQ => (Opcode.Delete, true),
        Opcode.IncrementQ => (Opcode.Increment, true),
        Opcode.DecrementQ => (Opcode.Decrement, true),
        Opcode.AppendQ => (Opcode.Append, true),
        Opcode.PrependQ => (Opcode.Prepend, true),
        Opcode.GetAndTouchQ => (Opcode.GetAndTouch, true),
        Opcode.FlushQ => (Opcode.Flush, true),
        _ => (op, false),
    };

    private static bool IsKeyed(Opcode op) => op is Opcode.Get or Opcode.GetK or Opcode.Set or Opcode.Add
        or Opcode.Replace or Opcode.Delete or Opcode.Increment or Opcode.Decrement or Opcode.Append
        or Opcode.Prepend or Opcode.Touch or Opcode.GetAndTouch or Opcode.GetLocked or Opcode.UnlockKey
        or Opcode.GetReplica or Opcode.EvictKey || SubDocOpcode.IsSubDoc(op);

    private void Document(Frame f)
    {
        var (op, quiet) = Normalize(f.Opcode);
        if (!IsKeyed(op) && op is not (Opcode.Flush or Opcode.Observe or Opcode.ObserveSeqno))
        {
            _r.Reply(f, op is Opcode.GetCollectionsManifest or Opcode.GetCollectionId or Opcode.GetRandomKey
                ? KvStatus.NotSupported : KvStatus.UnknownCommand);
            return;
        }
        lock (_cluster.Sync)
        {
            var bucket = _s.Bucket;
            if (bucket is null)
            {
                _r.Reply(f, KvStatus.NoBucket);
                return;
            }
            switch (op)
            {
                case Opcode.Flush: Flush(f, bucket, quiet); return;
                case Opcode.Observe: Observe(f, bucket); return;
                case Opcode.ObserveSeqno: ObserveSeqno(f, bucket); return;
            }
            if (f.KeyLength == 0 || f.KeyLength > MaxKeyLength)
            {
                _r.Reply(f, KvStatus.InvalidArguments);
                return;
            }
            var key = KeyCodec.FromBytes(f.Key);
            var forced = _cluster.ForcedStatuses.Match(op, KeyCodec.ToText(key), _node.Index, bucket.Name);
            if (forced != null)
            {
                if (!forced.NoReply) _r.Reply(f, forced.Status);
                return;
            }
            Partition part;
            if (bucket.Type == BucketType.Couchbase)
            {
                if (f.VBucket >= bucket.VBucketCount)
                {
                    NotMyVBucket(f, bucket);
                    return;
                }
                var row = bucket.Map[f.VBucket];
                var owns = op == Opcode.GetReplica || SubDocRequest.IsReplicaRead(f)
                    ? row.Skip(1).Contains(_node.Index)
                    : row[0] == _node.Index;
                if (!owns || !_node.InCluster)
                {
                    NotMyVBucket(f, bucket);
                    return;
                }
                part = bucket.Partitions[f.VBucket];
            }
            else
            {
                if (op == Opcode.GetReplica)
                {
                    _r.Reply(f, KvStatus.NotSupported);
                    return;
                }
                part = bucket.Partitions[_node.Index];
            }
            var ctx = new Ctx(f, bucket, part, key, quiet, _cluster.Clock.UnixSeconds, _cluster.Clock.UnixMilliseconds);
            switch (op)
            {
                case Opcode.Get:
                case Opcode.GetK:
                case Opcode.GetReplica: Get(ctx, op == Opcode.GetK, op == Opcode.GetReplica); break;
                case Opcode.Set:
                case Opcode.Add:
                case Opcode.Replace: Store(ctx, op); break;
                case Opcode.Delete: Delete(ctx); break;
                case Opcode.Increment:
                case Opcode.Decrement: Arithmetic(ctx, op == Opcode.Increment); break;
                case Opcode.Append:
                case Opcode.Prepend: Concat(ctx, op == Opcode.Append); break;
                case Opcode.Touch:
                case Opcode.GetAndTouch: Touch(ctx, op == Opcode.GetAndTouch); break;
                case Opcode.GetLocked: GetLocked(ctx); break;
                case Opcode.UnlockKey: Unlock(ctx); break;
                case Opcode.EvictKey: _r.Reply(f, ctx.Find() is null ? KvStatus.KeyNotFound : KvStatus.Success); break;
                case var _ when SubDocOpcode.IsSubDoc(op): SubDocument(ctx); break;
            }
        }
    }

    private readonly record struct Ctx(Frame F, InProcessBucket Bucket, Partition Part, string Key, bool Quiet, long NowS, long NowMs)
    {
        public StoredDocument? Find() => Part.Find(Key, NowS, NowMs);
    }

    private KvStatus LockedStatus(bool tmpfailWithoutXError) =>
        _s.XError ? KvStatus.Locked : tmpfailWithoutXError ? KvStatus.TemporaryFailure : KvStatus.KeyExists;

    private static long AbsoluteExpiry(uint t, long now) => t == 0 ? 0 : t <= RelativeExpiryLimit ? now + t : t;

    private byte[] SeqnoExtras(Partition part, StoredDocument? doc)
    {
        if (!_s.MutationSeqno) return Array.Empty<byte>();
        var e = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(e, part.Uuid);
        BinaryPrimitives.WriteUInt64BigEndian(e.AsSpan(8), doc?.Seqno ?? part.Seqno);
        return e;
    }

    private static void Commit(in Ctx c, StoredDocument doc)
    {
        c.Part.Seqno++;
        doc.Seqno = c.Part.Seqno;
        c.Part.Documents[c.Key] = doc;
        c.Part.Generation++;
        c.Bucket.Generation++;
    }

    private static byte[] Flags(uint flags)
    {
        var e = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(e, flags);
        return e;
    }

    private void Get(in Ctx c, bool withKey, bool replica)
    {
        var doc = c.Find();
        if (doc is null)
        {
            if (!c.Quiet) _r.Reply(c.F, KvStatus.KeyNotFound, key: withKey ? c.F.Key : default);
            return;
        }
        var cas = !replica && doc.IsLocked(c.NowMs) ? ulong.MaxValue : doc.Cas;
        _r.Reply(c.F, KvStatus.Success, cas, Flags(doc.Flags), withKey ? c.F.Key : default, doc.Value, _s.Visible(doc.DataType));
    }

    private void Store(in Ctx c, Opcode op)
    {
        var f = c.F;
        if (f.ExtrasLength != 8)
        {
            _r.Reply(f, KvStatus.InvalidArguments);
            return;
        }
        if (f.ValueLength > _cluster.Options.MaxValueSize)
        {
            _r.Reply(f, KvStatus.ValueTooLarge);
            return;
        }
        var flags = BinaryPrimitives.ReadUInt32BigEndian(f.Extras);
        var expiry = BinaryPrimitives.ReadUInt32BigEndian(f.Extras.Slice(4));
        var doc = c.Find();
        if (op == Opcode.Add && f.Cas != 0)
        {
            _r.Reply(f, KvStatus.InvalidArguments);
            return;
        }
        if (doc != null && doc.IsLocked(c.NowMs) && f.Cas != doc.Cas)
        {
            _r.Reply(f, LockedStatus(tmpfailWithoutXError: false));
            return;
        }
        if (op == Opcode.Add && doc != null) { _r.Reply(f, KvStatus.KeyExists); return; }
        if (op == Opcode.Replace && doc is null) { _r.Reply(f, KvStatus.KeyNotFound); return; }
        if (doc is null && f.Cas != 0) { _r.Reply(f, KvStatus.KeyNotFound); return; }
        if (doc != null && f.Cas != 0 && f.Cas != doc.Cas) { _r.Reply(f, KvStatus.KeyExists); return; }
        var stored = new StoredDocument
        {
            Value = f.Value.ToArray(),
            Xattrs = doc?.Xattrs ?? DocumentXattrs.Empty, // a SET keeps the xattrs (kv_engine mutation_context.cc)
            Flags = flags,
            DataType = f.DataType,
            Cas = c.Bucket.NextCas(),
            ExpiryUnixSeconds = AbsoluteExpiry(expiry, c.NowS),
        };
        Commit(c, stored);
        if (!c.Quiet) _r.Reply(f, KvStatus.Success, stored.Cas, SeqnoExtras(c.Part, stored));
    }

    private void Delete(in Ctx c)
    {
        var f = c.F;
        var doc = c.Find();
        if (doc is null) { _r.Reply(f, KvStatus.KeyNotFound); return; }
        if (doc.IsLocked(c.NowMs) && f.Cas != doc.Cas) { _r.Reply(f, LockedStatus(tmpfailWithoutXError: true)); return; }
        if (f.Cas != 0 && f.Cas != doc.Cas) { _r.Reply(f, KvStatus.KeyExists); return; }
        c.Part.Documents.Remove(c.Key);
        c.Part.Bury(c.Key, doc);
        c.Part.Seqno++;
        c.Part.Generation++;
        c.Bucket.Generation++;
        var cas = c.Bucket.NextCas();
        if (!c.Quiet) _r.Reply(f, KvStatus.Success, cas, SeqnoExtras(c.Part, null));
    }

    private void Arithmetic(in Ctx c, bool increment)
    {
        var f = c.F;
        if (f.ExtrasLength != 20 || f.ValueLength != 0) { _r.Reply(f, KvStatus.InvalidArguments); return; }
        var delta = BinaryPrimitives.ReadUInt64BigEndian(f.Extras);
        var initial = BinaryPrimitives.ReadUInt64BigEndian(f.Extras.Slice(8));
        var expiry = BinaryPrimitives.ReadUInt32BigEndian(f.Extras.Slice(16));
        var doc = c.Find();
        ulong result;
        StoredDocument stored;
        if (doc is null)
        {
            if (expiry == 0xffffffff || f.Cas != 0) { _r.Reply(f, KvStatus.KeyNotFound); return; }
            result = initial;
            stored = new StoredDocument
            {
                Value = Encoding.ASCII.GetBytes(result.ToString(CultureInfo.InvariantCulture)),
                Flags = 0,
                DataType = DataType.Json,
                Cas = c.Bucket.NextCas(),
                ExpiryUnixSeconds = AbsoluteExpiry(expiry, c.NowS),
            };
        }
        else
        {
            if (doc.IsLocked(c.NowMs) && f.Cas != doc.Cas) { _r.Reply(f, LockedStatus(tmpfailWithoutXError: true)); return; }
            if (f.Cas != 0 && f.Cas != doc.Cas) { _r.Reply(f, KvStatus.KeyExists); return; }
            if (!TryParseCounter(doc.Value, out var current)) { _r.Reply(f, KvStatus.DeltaBadValue); return; }
            result = increment ? unchecked(current + delta) : (delta > current ? 0 : current - delta);
            stored = new StoredDocument
            {
                Value = Encoding.ASCII.GetBytes(result.ToString(CultureInfo.InvariantCulture)),
                Flags = doc.Flags,
                DataType = doc.DataType,
                Xattrs = doc.Xattrs,
                Cas = c.Bucket.NextCas(),
                ExpiryUnixSeconds = doc.ExpiryUnixSeconds,
            };
        }
        Commit(c, stored);
        if (c.Quiet) return;
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, result);
        _r.Reply(f, KvStatus.Success, stored.Cas, SeqnoExtras(c.Part, stored), value: value);
    }

    private static bool TryParseCounter(byte[] value, out ulong result)
    {
        result = 0;
        if (value.Length == 0 || value.Length > 20) return false;
        foreach (var b in value)
            if (b < (byte)'0' || b > (byte)'9') return false;
        return ulong.TryParse(Encoding.ASCII.GetString(value), NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    private void Concat(in Ctx c, bool append)
    {
        var f = c.F;
        var doc = c.Find();
        if (doc is null) { _r.Reply(f, KvStatus.NotStored); return; }
        if (doc.IsLocked(c.NowMs) && f.Cas != doc.Cas) { _r.Reply(f, LockedStatus(tmpfailWithoutXError: false)); return; }
        if (f.Cas != 0 && f.Cas != doc.Cas) { _r.Reply(f, KvStatus.KeyExists); return; }
        if ((long)doc.Value.Length + f.ValueLength > _cluster.Options.MaxValueSize) { _r.Reply(f, KvStatus.ValueTooLarge); return; }
        byte[] value = append ? [.. doc.Value, .. f.Value] : [.. f.Value, .. doc.Value];
        var stored = new StoredDocument
        {
            Value = value,
            Xattrs = doc.Xattrs,
            Flags = doc.Flags,
            DataType = JsonDetector.IsJson(value) ? (doc.DataType | DataType.Json) : (doc.DataType & ~DataType.Json),
            Cas = c.Bucket.NextCas(),
            ExpiryUnixSeconds = doc.ExpiryUnixSeconds,
        };
        Commit(c, stored);
        if (!c.Quiet) _r.Reply(f, KvStatus.Success, stored.Cas, SeqnoExtras(c.Part, stored));
    }

    private void Touch(in Ctx c, bool get)
    {
        var f = c.F;
        if (f.ExtrasLength != 4) { _r.Reply(f, KvStatus.InvalidArguments); return; }
        var expiry = BinaryPrimitives.ReadUInt32BigEndian(f.Extras);
        var doc = c.Find();
        if (doc is null)
        {
            if (!c.Quiet) _r.Reply(f, KvStatus.KeyNotFound);
            return;
        }
        if (doc.IsLocked(c.NowMs)) { _r.Reply(f, LockedStatus(tmpfailWithoutXError: true)); return; }
        doc.ExpiryUnixSeconds = AbsoluteExpiry(expiry, c.NowS);
        doc.Cas = c.Bucket.NextCas();
        c.Part.Generation++;
        c.Bucket.Generation++;
        if (get) _r.Reply(f, KvStatus.Success, doc.Cas, Flags(doc.Flags), value: doc.Value, dataType: _s.Visible(doc.DataType));
        else _r.Reply(f, KvStatus.Success, doc.Cas);
    }

    private void GetLocked(in Ctx c)
    {
        var f = c.F;
        if (f.ExtrasLength is not (0 or 4)) { _r.Reply(f, KvStatus.InvalidArguments); return; }
        var seconds = f.ExtrasLength == 4 ? (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(f.Extras), int.MaxValue) : 0;
        if (seconds == 0 || seconds > MaxLockSeconds) seconds = DefaultLockSeconds;
        var doc = c.Find();
        if (doc is null) { _r.Reply(f, KvStatus.KeyNotFound); return; }
        if (doc.IsLocked(c.NowMs)) { _r.Reply(f, LockedStatus(tmpfailWithoutXError: true)); return; }
        doc.Cas = c.Bucket.NextCas();
        doc.LockedUntilMs = c.NowMs + seconds * 1000L;
        _r.Reply(f, KvStatus.Success, doc.Cas, Flags(doc.Flags), value: doc.Value, dataType: _s.Visible(doc.DataType));
    }

    private void Unlock(in Ctx c)
    {
        var f = c.F;
        var doc = c.Find();
        if (doc is null) { _r.Reply(f, KvStatus.KeyNotFound); return; }
        if (!doc.IsLocked(c.NowMs)) { _r.Reply(f, _s.XError ? KvStatus.NotLocked : KvStatus.TemporaryFailure); return; }
        if (f.Cas != doc.Cas) { _r.Reply(f, LockedStatus(tmpfailWithoutXError: true)); return; }
        doc.LockedUntilMs = 0;
        _r.Reply(f, KvStatus.Success, doc.Cas);
    }

    private void Flush(Frame f, InProcessBucket bucket, bool quiet)
    {
        foreach (var p in bucket.Partitions)
        {
            p.Documents.Clear();
            p.Tombstones.Clear();
            p.Generation++;
        }
        bucket.Generation++;
        if (!quiet) _r.Reply(f, KvStatus.Success);
    }

    private void Observe(Frame f, InProcessBucket bucket)
    {
        var input = f.Value;
        using var output = new MemoryStream();
        Span<byte> tail = stackalloc byte[9];
        while (input.Length >= 4)
        {
            var vb = BinaryPrimitives.ReadUInt16BigEndian(input);
            var len = BinaryPrimitives.ReadUInt16BigEndian(input.Slice(2));
            if (input.Length < 4 + len) { _r.Reply(f, KvStatus.InvalidArguments); return; }
            var keyBytes = input.Slice(4, len);
            var key = KeyCodec.FromBytes(keyBytes);
            Partition? part = bucket.Type == BucketType.Couchbase
                ? (vb < bucket.VBucketCount ? bucket.Partitions[vb] : null)
                : bucket.Partitions[_node.Index];
            var doc = part?.Find(key, _cluster.Clock.UnixSeconds, _cluster.Clock.UnixMilliseconds);
            output.Write(input.Slice(0, 4 + len));
            var (state, cas) = ObservedState(bucket, vb, doc);
            tail[0] = state;
            BinaryPrimitives.WriteUInt64BigEndian(tail.Slice(1), cas);
            output.Write(tail);
            input = input.Slice(4 + len);
        }
        _r.Reply(f, KvStatus.Success, value: output.ToArray());
    }

    /// <summary>
    /// OBSERVE's key state on this node: 0x80 not found, 0x00 found (not persisted), 0x01 persisted. The mutation's
    /// age comes from its CAS (cluster clock milliseconds x 10^6); a replica has it only after the replication delay.
    /// </summary>
    private (byte State, ulong Cas) ObservedState(InProcessBucket bucket, int vb, StoredDocument? doc)
    {
        if (doc is null) return (0x80, 0);
        var age = TimeSpan.FromMilliseconds(_cluster.Clock.UnixMilliseconds - (long)(doc.Cas / 1_000_000UL));
        var onReplica = bucket.Type == BucketType.Couchbase && vb < bucket.VBucketCount && bucket.Map[vb][0] != _node.Index;
        if (onReplica)
        {
            if (age < _cluster.ReplicateDelay) return (0x80, 0);
            age -= _cluster.ReplicateDelay;
        }
        return (age >= _cluster.PersistDelay ? (byte)0x01 : (byte)0x00, doc.Cas);
    }

    private void ObserveSeqno(Frame f, InProcessBucket bucket)
    {
        if (bucket.Type != BucketType.Couchbase || f.VBucket >= bucket.VBucketCount || f.ValueLength != 8)
        {
            _r.Reply(f, KvStatus.InvalidArguments);
            return;
        }
        if (!bucket.Map[f.VBucket].Contains(_node.Index))
        {
            NotMyVBucket(f, bucket);
            return;
        }
        var part = bucket.Partitions[f.VBucket];
        var v = new byte[27];
        v[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(v.AsSpan(1), f.VBucket);
        BinaryPrimitives.WriteUInt64BigEndian(v.AsSpan(3), part.Uuid);
        BinaryPrimitives.WriteUInt64BigEndian(v.AsSpan(11), part.Seqno);
        BinaryPrimitives.WriteUInt64BigEndian(v.AsSpan(19), part.Seqno);
        _r.Reply(f, KvStatus.Success, value: v);
    }
}
