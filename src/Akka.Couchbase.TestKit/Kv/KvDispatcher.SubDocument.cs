using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Kv.SubDocument;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// Sub-document commands (0xc5-0xd3): the request is checked (<see cref="SubDocRequest"/>), the document fetched
/// with the server's order of checks (existence and doc flags, lock, CAS, revive), the specs run on a copy
/// (<see cref="SubDocExecution"/>), and a successful mutation stored in one step with a new CAS, seqno, expiry and
/// flags; anything that fails changes nothing.
/// </summary>
internal sealed partial class KvDispatcher
{
    private void SubDocument(in Ctx c)
    {
        var f = c.F;
        var xattrEnabled = _s.Features.Contains(HelloFeature.Xattr) && c.Bucket.Type == BucketType.Couchbase;
        var parsed = SubDocRequest.Parse(f, xattrEnabled, out var request);
        if (parsed != KvStatus.Success)
        {
            _r.Reply(f, parsed);
            return;
        }
        var req = request!;
        var doc = c.Find();
        if (doc is null && req.AccessDeleted) doc = c.Part.Tombstones.GetValueOrDefault(c.Key);
        var locked = doc is { Deleted: false } && doc.IsLocked(c.NowMs);
        if (doc is null)
        {
            if (!req.IsMutator || req.Semantics == MutationSemantics.Replace)
            {
                _r.Reply(f, KvStatus.KeyNotFound);
                return;
            }
        }
        else
        {
            if (req.IsMutator && req.Semantics == MutationSemantics.Add)
            {
                _r.Reply(f, KvStatus.KeyExists);
                return;
            }
            if (req.IsMutator && locked ? f.Cas != doc.Cas : f.Cas != 0 && f.Cas != (locked ? ulong.MaxValue : doc.Cas))
            {
                _r.Reply(f, req.IsMutator && locked ? LockedStatus(tmpfailWithoutXError: true) : KvStatus.KeyExists);
                return;
            }
            if (req.Revive && !doc.Deleted)
            {
                _r.Reply(f, SubDocStatus.CanOnlyReviveDeletedDocuments);
                return;
            }
        }
        var input = doc is null
            ? new InputDocument(NewBody(req), DocumentXattrs.Empty, false, req.CreateAsDeleted, 0, 0, c.Part.Uuid, 0, 0)
            : new InputDocument(doc.Value, doc.Xattrs, true, doc.Deleted, locked ? ulong.MaxValue : doc.Cas, doc.Seqno,
                c.Part.Uuid, doc.ExpiryUnixSeconds, doc.Flags);
        var run = new SubDocExecution(req, input, c.NowS);
        run.Run();
        var onDeleted = input.Deleted && !req.Revive;
        if (!req.IsMutator) SubDocLookupReply(c, req, run, f.Cas != 0 ? f.Cas : input.Cas, onDeleted);
        else if (run.Overall != KvStatus.Success) SubDocFailureReply(f, req, run);
        else SubDocCommit(c, req, run, doc, onDeleted);
    }

    private void SubDocLookupReply(in Ctx c, SubDocRequest req, SubDocExecution run, ulong cas, bool onDeleted)
    {
        var f = c.F;
        if (req.Multi)
        {
            var status = run.Overall == KvStatus.Success
                ? onDeleted ? SubDocStatus.SuccessDeleted : KvStatus.Success
                : onDeleted ? SubDocStatus.MultiPathFailureDeleted : run.Overall;
            _r.Reply(f, status, cas, value: SubDocResponse.Lookup(run.Results));
            return;
        }
        if (run.Overall != KvStatus.Success)
        {
            _r.Reply(f, run.Overall);
            return;
        }
        var value = run.Results[0].Value;
        _r.Reply(f, onDeleted ? SubDocStatus.SuccessDeleted : KvStatus.Success, cas, value: value,
            dataType: value != null && _s.Json ? DataType.Json : DataType.Raw);
    }

    private void SubDocFailureReply(Frame f, SubDocRequest req, SubDocExecution run)
    {
        if (req.Multi) _r.Reply(f, SubDocStatus.MultiPathFailure, value: SubDocResponse.MutationFailure(run.FirstFailure, run.Results[run.FirstFailure].Status));
        else _r.Reply(f, run.Overall);
    }

    private void SubDocCommit(in Ctx c, SubDocRequest req, SubDocExecution run, StoredDocument? before, bool onDeleted)
    {
        var f = c.F;
        var cas = c.Bucket.NextCas();
        var (body, isJson, xattrs) = run.Finish(cas, c.Part.Seqno + 1);
        if (onDeleted && !run.DeletesDocument && body.Length > 0)
        {
            _r.Reply(f, SubDocStatus.DeletedDocumentCantHaveValue);
            return;
        }
        if (body.Length + xattrs.UserBytes > _cluster.Options.MaxValueSize)
        {
            _r.Reply(f, KvStatus.ValueTooLarge);
            return;
        }
        StoredDocument? stored = null;
        if (run.DeletesDocument || onDeleted || (before is null && req.CreateAsDeleted))
        {
            c.Part.Documents.Remove(c.Key);
            c.Part.Seqno++;
            c.Part.Generation++;
            c.Bucket.Generation++;
            if (run.DeletesDocument && !xattrs.HasSystem) c.Part.Tombstones.Remove(c.Key);
            else c.Part.Tombstones[c.Key] = stored = new StoredDocument
            {
                Value = Array.Empty<byte>(), Xattrs = xattrs, Deleted = true, Cas = cas, Seqno = c.Part.Seqno,
            };
        }
        else
        {
            stored = new StoredDocument
            {
                Value = body,
                Xattrs = xattrs,
                Flags = req.UserFlags ?? before?.Flags ?? 0,
                DataType = isJson ? DataType.Json : DataType.Raw,
                Cas = cas,
                ExpiryUnixSeconds = req.PreserveTtl && before != null ? before.ExpiryUnixSeconds : AbsoluteExpiry(req.Expiry, c.NowS),
            };
            Commit(c, stored);
            c.Part.Tombstones.Remove(c.Key);
        }
        var status = onDeleted || (before is null && req.CreateAsDeleted) ? SubDocStatus.SuccessDeleted : KvStatus.Success;
        var extras = SeqnoExtras(c.Part, stored);
        if (req.Multi)
        {
            _r.Reply(f, status, cas, extras, value: SubDocResponse.MutationSuccess(run.Results));
            return;
        }
        var value = run.Results[0].Value;
        _r.Reply(f, status, cas, extras, value: value, dataType: value != null && _s.Json ? DataType.Json : DataType.Raw);
    }

    /// <summary>
    /// The body a creating mutation starts from: an array or an object as the first path spec's path suggests
    /// (subjson's get_root_type: empty path of an array command or a path starting with <c>[</c> = array), or
    /// nothing when no spec works on a path (or the document is created as a tombstone).
    /// </summary>
    private static byte[] NewBody(SubDocRequest req)
    {
        if (req.CreateAsDeleted) return Array.Empty<byte>();
        var spec = req.Specs.FirstOrDefault(s => s.Traits.Scope == CommandScope.SubJson);
        if (spec is null) return Array.Empty<byte>();
        var path = spec.Path.TrimStart();
        if (path.Length == 0)
            return spec.Traits.Command is SubJsonCommand.ArrayPushLast or SubJsonCommand.ArrayPushFirst or SubJsonCommand.ArrayAddUnique
                ? "[]"u8.ToArray() : Array.Empty<byte>();
        return path[0] == '[' ? "[]"u8.ToArray() : "{}"u8.ToArray();
    }
}
