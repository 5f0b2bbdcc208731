using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// Collections on the KV side (kv_engine <c>docs/Collections.md</c>, the source where it differs): the collection id
/// in front of document keys on connections that negotiated HELLO Collections, GET_COLLECTIONS_MANIFEST,
/// GET_COLLECTION_ID and GET_SCOPE_ID, and UNKNOWN_COLLECTION / UNKNOWN_SCOPE with the manifest uid.
/// </summary>
internal sealed partial class KvDispatcher
{
    /// <summary>kv_engine's longest logical key in a collection other than the default one.</summary>
    private const int MaxCollectionKeyLength = 246;

    /// <summary>
    /// The collection a document command names and where its logical key starts: on a collections connection the key
    /// starts with the collection id (canonical unsigned LEB128), otherwise the command names the default collection.
    /// Answers the command (EINVAL for a bad prefix, UNKNOWN_COLLECTION for an id not in the manifest) and returns
    /// false when it cannot go on. Call under the cluster lock.
    /// </summary>
    private bool TryCollection(Frame f, InProcessBucket bucket, ReadOnlySpan<byte> key, out uint collectionId, out int prefixLength)
    {
        collectionId = 0;
        prefixLength = 0;
        if (_s.Collections && !TryCollectionPrefix(f, key, out collectionId, out prefixLength)) return false;
        if (bucket.Manifest.Find(collectionId) is null || bucket.Manifest.TakeForcedUnknown(collectionId))
        {
            Unknown(f, KvStatus.UnknownCollection, bucket.Manifest);
            return false;
        }
        return true;
    }

    /// <summary>The collection id in front of <paramref name="key"/> (kv_engine <c>is_document_key_valid</c>).</summary>
    private bool TryCollectionPrefix(Frame f, ReadOnlySpan<byte> key, out uint collectionId, out int prefixLength)
    {
        collectionId = 0;
        prefixLength = 0;
        if (key.Length <= 1) return Invalid(f, "Key length must be >= 2");
        switch (Leb128.TryDecode(key, out collectionId, out prefixLength))
        {
            case Leb128.Outcome.NoStopByte: return Invalid(f, "No stop-byte found");
            case Leb128.Outcome.NonCanonical: return Invalid(f, "Key contains non-canonical leb128");
        }
        if (prefixLength == key.Length) return Invalid(f, "No logical key found");
        if (collectionId is >= 1 and <= 7) return Invalid(f, "Invalid collection-id:" + collectionId);
        var max = collectionId == 0 ? MaxKeyLength : MaxCollectionKeyLength;
        if (key.Length - prefixLength > max) return Invalid(f, "Logical key exceeds " + max);
        return true;
    }

    private void GetCollectionsManifest(Frame f)
    {
        if (f.KeyLength != 0 || f.ExtrasLength != 0 || f.ValueLength != 0 || f.Cas != 0 || f.DataType != DataType.Raw)
        {
            Invalid(f, "Request must not include extras, key or value");
            return;
        }
        if (f.VBucket != 0)
        {
            Invalid(f, "Request vbucket id must be 0");
            return;
        }
        string json;
        lock (_cluster.Sync)
        {
            if (!TryCollectionsBucket(f, out var bucket)) return;
            json = ManifestJson.Kv(bucket.Manifest).ToString(Newtonsoft.Json.Formatting.None);
        }
        _r.Reply(f, KvStatus.Success, value: Encoding.UTF8.GetBytes(json), dataType: _s.Json ? DataType.Json : DataType.Raw);
    }

    /// <summary>GET_COLLECTION_ID: <c>scope.collection</c> (an empty part means <c>_default</c>) in the value, or in the key.</summary>
    private void GetCollectionId(Frame f) => LookUpPath(f, scopeOnly: false);

    /// <summary>GET_SCOPE_ID: <c>scope</c> (or <c>scope.collection</c>, the collection ignored; empty = <c>_default</c>).</summary>
    private void GetScopeId(Frame f) => LookUpPath(f, scopeOnly: true);

    /// <summary>
    /// Both lookups (kv_engine <c>collections_get_id_validator</c> and <c>Collections::Manager::getCollectionID</c> /
    /// <c>getScopeID</c>): the path is read from the key when there is one, else from the value (SDKs send it as the
    /// value; the server takes either, not both); extras of the answer: u64 manifest uid, u32 id.
    /// </summary>
    private void LookUpPath(Frame f, bool scopeOnly)
    {
        if (f.ExtrasLength != 0 || f.Cas != 0 || f.DataType != DataType.Raw)
        {
            Invalid(f, "Request must not include extras");
            return;
        }
        if (f.KeyLength != 0 && f.ValueLength != 0)
        {
            Invalid(f, "Cannot set both key and value");
            return;
        }
        if (f.VBucket != 0)
        {
            Invalid(f, "Request vbucket id must be 0");
            return;
        }
        var path = Encoding.UTF8.GetString(f.KeyLength != 0 ? f.Key : f.Value);
        var dots = path.Count(c => c == '.');
        if (scopeOnly ? dots > 1 : dots != 1)
        {
            Invalid(f, "Invalid path: " + path);
            return;
        }
        var dot = path.IndexOf('.');
        var scopeName = dot < 0 ? path : path[..dot];
        if (scopeName.Length == 0) scopeName = CollectionNames.DefaultName;
        lock (_cluster.Sync)
        {
            if (!TryCollectionsBucket(f, out var bucket)) return;
            var manifest = bucket.Manifest;
            if (!CollectionNames.ValidInPath(scopeName))
            {
                Invalid(f, "Invalid scope name: " + scopeName);
                return;
            }
            var scope = manifest.FindScope(scopeName);
            if (scope is null)
            {
                Unknown(f, CollectionOpcodes.UnknownScope, manifest);
                return;
            }
            if (scopeOnly)
            {
                _r.Reply(f, KvStatus.Success, extras: IdExtras(manifest.Uid, scope.Id));
                return;
            }
            var collectionName = path[(dot + 1)..];
            if (collectionName.Length == 0) collectionName = CollectionNames.DefaultName;
            if (!CollectionNames.ValidInPath(collectionName))
            {
                Invalid(f, "Invalid collection name: " + collectionName);
                return;
            }
            if (scope.Find(collectionName) is not { } collection)
            {
                Unknown(f, KvStatus.UnknownCollection, manifest);
                return;
            }
            _r.Reply(f, KvStatus.Success, extras: IdExtras(manifest.Uid, collection.Id));
        }
    }

    /// <summary>The selected bucket when it has collections; otherwise answers (NO_BUCKET, NOT_SUPPORTED) and returns false.</summary>
    private bool TryCollectionsBucket(Frame f, out InProcessBucket bucket)
    {
        bucket = _s.Bucket!;
        if (_s.Bucket is null)
        {
            _r.Reply(f, KvStatus.NoBucket);
            return false;
        }
        if (bucket.Type != BucketType.Couchbase)
        {
            _r.Reply(f, KvStatus.NotSupported);
            return false;
        }
        return true;
    }

    private static byte[] IdExtras(ulong manifestUid, uint id)
    {
        var extras = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(extras, manifestUid);
        BinaryPrimitives.WriteUInt32BigEndian(extras.AsSpan(8), id);
        return extras;
    }

    /// <summary>
    /// UNKNOWN_COLLECTION or UNKNOWN_SCOPE with the uid of the manifest that was looked at, as kv_engine words it:
    /// <c>{"manifest_uid":"1f","error":{"context":"..."}}</c>. A connection that negotiated neither XERROR nor
    /// Collections gets EINVAL instead (<c>Connection::remapErrorCode</c>).
    /// </summary>
    private void Unknown(Frame f, KvStatus status, CollectionManifest manifest)
    {
        if (!_s.XError && !_s.Collections)
        {
            Invalid(f, CollectionOpcodes.UnknownContext);
            return;
        }
        var body = new JObject
        {
            ["manifest_uid"] = manifest.UidHex,
            ["error"] = new JObject { ["context"] = CollectionOpcodes.UnknownContext },
        };
        ReplyJson(f, status, body);
    }

    /// <summary>EINVAL with kv_engine's error context; returns false (for <c>return Invalid(...)</c>).</summary>
    private bool Invalid(Frame f, string context)
    {
        ReplyJson(f, KvStatus.InvalidArguments, new JObject { ["error"] = new JObject { ["context"] = context } });
        return false;
    }

    private void ReplyJson(Frame f, KvStatus status, JObject body) =>
        _r.Reply(f, status, value: Encoding.UTF8.GetBytes(body.ToString(Newtonsoft.Json.Formatting.None)),
            dataType: _s.Json ? DataType.Json : DataType.Raw);
}
