using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Protocol.SubDocument;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The replies to lookup-in and mutate-in (kv_engine <c>docs/SubDocument.md</c>): SUCCESS and
/// SUBDOC_MULTI_PATH_FAILURE (and their "deleted document" forms 0xcd, 0xd3) mean the document was reached, and
/// the body says how each spec went; document-level statuses are the usual outcomes (NotFound, Exists for Insert
/// semantics, CasMismatch, Locked); a sub-document status in the header (a combination of specs the server
/// refuses) is a <see cref="KvInvalidArgumentException"/>. Entries are put back in the command's order.
/// </summary>
internal static class SubDocumentResponses
{
    public static object Map(KvRequest request, in RawFrame frame, ITranscoder transcoder, int inFlight, int queued,
        ErrorMap? errorMap)
    {
        var status = frame.Status;
        var deleted = status is KvStatus.SubdocSuccessDeleted or KvStatus.SubdocMultiPathFailureDeleted;
        var reached = deleted || status is KvStatus.Success or KvStatus.SubdocMultiPathFailure;
        var pathFailure = status is KvStatus.SubdocMultiPathFailure or KvStatus.SubdocMultiPathFailureDeleted;
        try
        {
            switch (request.Command)
            {
                case Kv.LookupIn lookup when reached:
                    return Lookup(request, lookup, frame, transcoder, deleted);
                case Kv.MutateIn mutate when reached && pathFailure:
                    return MutationFailed(request, mutate, frame, deleted);
                case Kv.MutateIn mutate when reached:
                    return Mutated(request, mutate, frame, transcoder, deleted);
            }
        }
        catch (ProtocolException e)
        {
            return new Status.Failure(new KvProtocolException(
                $"{request.Opcode} '{request.Key}': unreadable reply: {e.Message}", request.Context(inFlight, queued), e));
        }

        var outcome = DocumentOutcome(request, status);
        if (outcome is null)
        {
            if (!IsSubDocumentStatus(status)) return ResponseMapper.Failure(request, status, inFlight, queued, errorMap);
            return new Status.Failure(new KvInvalidArgumentException(
                $"{request.Opcode} '{request.Key}' failed: server status {status.Describe()}: the server refused the specs " +
                "as a whole", request.Context(inFlight, queued)));
        }
        return request.Command is Kv.MutateIn
            ? new MutateInResult(request.Key, outcome.Value, frame.Cas, request.CorrelationId, Array.Empty<SubDocumentEntry>())
                { Transcoder = transcoder }
            : new LookupInResult(request.Key, outcome.Value, 0, request.CorrelationId, Array.Empty<SubDocumentEntry>())
                { Transcoder = transcoder };
    }

    private static LookupInResult Lookup(KvRequest request, Kv.LookupIn lookup, in RawFrame frame, ITranscoder transcoder,
        bool deleted)
    {
        var specs = lookup.Specs;
        var results = MultiLookupCodec.Decode(ResponseMapper.OwnValue(frame), specs.Count);
        var order = SubDocumentOrder.Of(specs);
        var entries = new SubDocumentEntry[specs.Count];
        for (var w = 0; w < results.Length; w++)
        {
            var index = SubDocumentOrder.CommandIndex(order, w);
            entries[index] = new SubDocumentEntry(index, specs[index].Path, (SubDocumentStatus)results[w].Status, results[w].Value);
        }
        return new LookupInResult(request.Key, KvOutcome.Success, frame.Cas, request.CorrelationId, entries, deleted)
            { Transcoder = transcoder };
    }

    private static MutateInResult Mutated(KvRequest request, Kv.MutateIn mutate, in RawFrame frame, ITranscoder transcoder,
        bool deleted)
    {
        var specs = mutate.Specs;
        var results = MultiMutationCodec.DecodeSuccess(ResponseMapper.OwnValue(frame), specs.Count);
        var order = SubDocumentOrder.Of(specs);
        var entries = new SubDocumentEntry[specs.Count];
        for (var i = 0; i < entries.Length; i++)
            entries[i] = new SubDocumentEntry(i, specs[i].Path, SubDocumentStatus.Success, ReadOnlyMemory<byte>.Empty);
        foreach (var result in results)
        {
            var index = SubDocumentOrder.CommandIndex(order, result.Index);
            entries[index] = new SubDocumentEntry(index, specs[index].Path, (SubDocumentStatus)result.Status, result.Value);
        }
        return new MutateInResult(request.Key, KvOutcome.Success, frame.Cas, request.CorrelationId, entries,
            ResponseMapper.Token(request, frame), IsDeleted: deleted) { Transcoder = transcoder };
    }

    private static MutateInResult MutationFailed(KvRequest request, Kv.MutateIn mutate, in RawFrame frame, bool deleted)
    {
        var specs = mutate.Specs;
        var (wire, status) = MultiMutationCodec.DecodeFailure(frame.Value, specs.Count);
        var index = SubDocumentOrder.CommandIndex(SubDocumentOrder.Of(specs), wire);
        return new MutateInResult(request.Key, KvOutcome.PathFailure, frame.Cas, request.CorrelationId,
            Array.Empty<SubDocumentEntry>(), null, index, specs[index].Path, (SubDocumentStatus)status, deleted);
    }

    /// <summary>A document-level outcome: Insert semantics meeting an existing document is Exists, as for Insert.</summary>
    private static KvOutcome? DocumentOutcome(KvRequest request, KvStatus status) =>
        status is KvStatus.KeyExists or KvStatus.NotStored && request.Command is Kv.MutateIn { StoreSemantics: StoreSemantics.Insert }
            ? KvOutcome.Exists
            : ResponseMapper.OutcomeOf(request, status);

    private static bool IsSubDocumentStatus(KvStatus status) =>
        (ushort)status is >= 0xc0 and <= 0xd8 || status == KvStatus.XattrInvalid;
}
