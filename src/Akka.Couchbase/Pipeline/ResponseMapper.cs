using System.Buffers.Binary;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Turns a server's response frame into the command's reply: a result with an expected outcome, or a failure.
/// NOT_MY_VBUCKET is not handled here: the connection hands such requests back to the supervisor.
/// </summary>
internal static class ResponseMapper
{
    public static object Map(KvRequest request, in RawFrame frame, ITranscoder transcoder, int inFlight, int queued,
        ErrorMap? errorMap = null)
    {
        var status = frame.Status;
        request.LastStatus = status;
        if (SubDocumentWire.IsSubDocument(request.Opcode))
            return SubDocumentResponses.Map(request, frame, transcoder, inFlight, queued, errorMap);
        var outcome = OutcomeOf(request, status);
        if (outcome is null) return Failure(request, status, inFlight, queued, errorMap);

        var cas = frame.Cas;
        switch (request.Opcode)
        {
            case Opcode.Get or Opcode.GetAndTouch or Opcode.GetLocked or Opcode.GetReplica:
                return outcome == KvOutcome.Success
                    ? new GetResult(request.Key, KvOutcome.Success, cas, request.CorrelationId, OwnValue(frame),
                        frame.FlagsFromExtras, frame.DataType) { Transcoder = transcoder, Rented = Owner(frame) }
                    : new GetResult(request.Key, outcome.Value, 0, request.CorrelationId, ReadOnlyMemory<byte>.Empty, 0,
                        DataType.Raw) { Transcoder = transcoder };
            case Opcode.Increment or Opcode.Decrement:
                var value = outcome == KvOutcome.Success && frame.ValueLength >= 8
                    ? BinaryPrimitives.ReadUInt64BigEndian(frame.Value)
                    : 0UL;
                return new CounterResult(request.Key, outcome.Value, cas, request.CorrelationId, value, Token(request, frame));
            default:
                return new MutationResult(request.Key, outcome.Value, cas, request.CorrelationId,
                    outcome == KvOutcome.Success ? Token(request, frame) : null);
        }
    }

    /// <summary>
    /// A result keeps whatever array its value lives in alive. A frame decoded from a socket read is a range of that
    /// read: the value is kept as a range of it (no copy) when it is at least 1/<see cref="MaxPinRatio"/> of the
    /// read, and copied into its own array otherwise, so that a small value cannot hold a large read in memory.
    /// A rented body (value pooling) is always kept as it is: its array holds that body alone (the pool may have
    /// given one up to twice as long), and the result that owns it gives it back (see <see cref="Owner"/>).
    /// </summary>
    public const int MaxPinRatio = 64;

    internal static ReadOnlyMemory<byte> OwnValue(in RawFrame frame)
    {
        var length = frame.ValueLength;
        if (length == 0) return ReadOnlyMemory<byte>.Empty;
        if (frame.IsRented || (long)length * MaxPinRatio >= frame.Buffer.Length) return frame.ValueMemory;
        return frame.Value.ToArray();
    }

    /// <summary>
    /// The owner of a rented body, for the successful Get result made of it; null when the body is not rented.
    /// Only that path takes ownership: every other one that sees a rented frame (a failure, an orphan, a redirect)
    /// drops it, and the collector takes the array.
    /// </summary>
    internal static RentedBuffer? Owner(in RawFrame frame) =>
        frame.RentedFrom is { } pool ? new RentedBuffer(frame.Buffer, pool) : null;

    internal static KvOutcome? OutcomeOf(KvRequest request, KvStatus status)
    {
        switch (status)
        {
            case KvStatus.Success:
                return KvOutcome.Success;
            case KvStatus.KeyNotFound:
                if (request.Quiet) return KvOutcome.Success;
                // Append/prepend on a missing key: servers answer NOT_STORED, some KEY_ENOENT.
                return request.Opcode is Opcode.Append or Opcode.Prepend ? KvOutcome.NotStored : KvOutcome.NotFound;
            case KvStatus.KeyExists:
                if (request.Opcode == Opcode.Add) return KvOutcome.Exists;
                return request.Cas != 0 ? KvOutcome.CasMismatch : KvOutcome.Locked;
            case KvStatus.NotStored:
                // memcached answers NOT_STORED for a failed ADD; Couchbase for append/prepend on a missing key.
                return request.Opcode == Opcode.Add ? KvOutcome.Exists : KvOutcome.NotStored;
            case KvStatus.Locked:
                return request.Opcode == Opcode.UnlockKey ? KvOutcome.CasMismatch : KvOutcome.Locked;
            case KvStatus.NotLocked:
                return KvOutcome.NotLocked;
            case KvStatus.TemporaryFailure when request.Opcode is Opcode.GetLocked or Opcode.UnlockKey:
                // Without XERROR a server reports lock conflicts as ETMPFAIL (spec §2.5).
                return request.Opcode == Opcode.UnlockKey ? KvOutcome.CasMismatch : KvOutcome.Locked;
            default:
                return null;
        }
    }

    internal static Status.Failure Failure(KvRequest request, KvStatus status, int inFlight, int queued, ErrorMap? errorMap)
    {
        var context = request.Context(inFlight, queued);
        var what = $"{request.Opcode} '{request.Key}' failed: server status {status.Describe()}";
        if (!Enum.IsDefined(status) && errorMap is not null && errorMap.TryGet((ushort)status, out var entry))
        {
            // A status this client does not know: the server's error map names it and says how to treat it.
            what = $"{request.Opcode} '{request.Key}' failed: server status 0x{(ushort)status:x2} {entry.Name} ({entry.Description})";
            return new Status.Failure(entry.IsAuth
                ? new KvAuthenticationException($"{what}: not authorised", context)
                : new KvServerErrorException(entry.IsTemporary ? $"{what} (temporary; may succeed if sent again)" : what,
                    context, entry.IsTemporary));
        }
        CouchbaseException e = status switch
        {
            KvStatus.ValueTooLarge => new KvInvalidArgumentException($"{what}: value too large for the server", context),
            KvStatus.InvalidArguments => new KvInvalidArgumentException($"{what}: the server found the request invalid", context),
            KvStatus.DeltaBadValue => new KvInvalidArgumentException($"{what}: the document is not a number", context),
            KvStatus.OutOfRange => new KvInvalidArgumentException($"{what}: a value is outside the legal range", context),
            KvStatus.AuthError or KvStatus.AuthStale or KvStatus.NoAccess =>
                new KvAuthenticationException($"{what}: not authorised", context),
            _ => new KvServerErrorException(status.IsRetryable() ? $"{what} (temporary; may succeed if sent again)" : what, context),
        };
        return new Status.Failure(e);
    }

    internal static MutationToken? Token(KvRequest request, in RawFrame frame)
    {
        if (frame.ExtrasLength != 16) return null;
        var extras = frame.Extras;
        return new MutationToken(request.VBucket, BinaryPrimitives.ReadUInt64BigEndian(extras),
            BinaryPrimitives.ReadUInt64BigEndian(extras.Slice(8)));
    }
}
