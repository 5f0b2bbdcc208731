namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The requests of one connection that went into its outgoing batch and await their reply, by opaque (the
/// connection numbers them in send order). It finds a reply's request, sweeps out the expired ones, and on a lost
/// connection splits what it held into what may go again and what is ambiguous.
/// </summary>
internal sealed class InFlightTable
{
    /// <summary>What becomes of a request the connection held when it was lost.</summary>
    public enum LossVerdict
    {
        /// <summary>Not written, or a read: it goes again on the next connection.</summary>
        SendAgain,
        /// <summary>A written mutation: whether the server applied it is unknown.</summary>
        Ambiguous,
        /// <summary>
        /// A written read with a later written mutation of its key: sent again, it would run after that mutation, so
        /// its result is unknown too.
        /// </summary>
        AmbiguousRead,
    }

    private readonly Dictionary<uint, KvRequest> _requests = new();
    private uint _lastOpaque;

    /// <summary>How many requests await their reply.</summary>
    public int Count => _requests.Count;

    /// <summary>Numbering goes on after <paramref name="opaque"/> (the handshake's opaques come first).</summary>
    public void NumberAfter(uint opaque) => _lastOpaque = opaque;

    /// <summary>Gives <paramref name="request"/> the next opaque and holds it until its reply.</summary>
    public void Add(KvRequest request)
    {
        request.Opaque = ++_lastOpaque;
        _requests[request.Opaque] = request;
    }

    /// <summary>The request of <paramref name="opaque"/>, left in the table (a STAT is answered by many frames).</summary>
    public bool TryGet(uint opaque, out KvRequest request) => _requests.TryGetValue(opaque, out request!);

    /// <summary>Takes the request of <paramref name="opaque"/> out of the table.</summary>
    public bool TryRemove(uint opaque, out KvRequest request) => _requests.Remove(opaque, out request!);

    /// <summary>Puts back a request taken out by mistake (its reply did not match it).</summary>
    public void Restore(KvRequest request) => _requests[request.Opaque] = request;

    /// <summary>True when no request ever had <paramref name="opaque"/> on this connection (a reply to nothing).</summary>
    public bool NeverSent(uint opaque) => opaque > _lastOpaque;

    /// <summary>Takes out the requests whose deadline has passed, in send order (replies on one key keep their order).</summary>
    public List<KvRequest>? TakeExpired(long now)
    {
        List<KvRequest>? expired = null;
        foreach (var request in _requests.Values)
            if (request.IsExpired(now)) (expired ??= new List<KvRequest>()).Add(request);
        if (expired is null) return null;
        expired.Sort(static (a, b) => a.Opaque.CompareTo(b.Opaque));
        foreach (var request in expired) _requests.Remove(request.Opaque);
        return expired;
    }

    /// <summary>Takes out every request, in send order.</summary>
    public List<KvRequest> TakeAll()
    {
        var all = _requests.Values.ToList();
        all.Sort(static (a, b) => a.Opaque.CompareTo(b.Opaque));
        _requests.Clear();
        return all;
    }

    /// <summary>
    /// The connection was lost: takes out every request, in send order, each with what becomes of it. Written
    /// mutations are ambiguous; a written read is ambiguous too when a mutation of its key was written after it
    /// (the server would run the read again after that mutation); everything else goes again.
    /// </summary>
    public List<(KvRequest Request, LossVerdict Verdict)> TakeOnLoss()
    {
        var inSendOrder = TakeAll();
        var verdicts = new (KvRequest, LossVerdict)[inSendOrder.Count];
        // Backwards, so that each written read knows whether a mutation of its key was written after it.
        HashSet<string>? mutatedLater = null;
        for (var i = inSendOrder.Count - 1; i >= 0; i--)
        {
            var request = inSendOrder[i];
            var verdict = LossVerdict.SendAgain;
            if (request.IsAmbiguousIfLost)
            {
                verdict = LossVerdict.Ambiguous;
                (mutatedLater ??= new HashSet<string>(StringComparer.Ordinal)).Add(request.Key);
            }
            else if (request.State == RequestState.Written && !request.IsInternal && mutatedLater is not null &&
                     mutatedLater.Contains(request.Key))
            {
                verdict = LossVerdict.AmbiguousRead;
            }
            verdicts[i] = (request, verdict);
        }
        return verdicts.ToList();
    }
}
