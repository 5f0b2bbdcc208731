namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The order specs go on the wire: the server wants every xattr spec before the document's (kv_engine answers
/// SUBDOC_INVALID_XATTR_ORDER otherwise), so xattr specs go first, each group keeping the command's order. Replies
/// come in wire order and are put back in the command's order with the same mapping. Computed from the command,
/// the same way at admission and at the reply.
/// </summary>
internal static class SubDocumentOrder
{
    /// <summary>For each wire position, the spec's index in the command; null when that is the command's own order.</summary>
    public static int[]? Of(IReadOnlyList<LookupInSpec> specs) => Of(specs.Count, i => specs[i].Xattr);

    /// <inheritdoc cref="Of(IReadOnlyList{LookupInSpec})"/>
    public static int[]? Of(IReadOnlyList<MutateInSpec> specs) => Of(specs.Count, i => specs[i].Xattr);

    /// <summary>The spec's index in the command for wire position <paramref name="wire"/>.</summary>
    public static int CommandIndex(int[]? order, int wire) => order is null ? wire : order[wire];

    private static int[]? Of(int count, Func<int, bool> xattr)
    {
        var sorted = true;
        var seenBody = false;
        for (var i = 0; i < count && sorted; i++)
        {
            if (!xattr(i)) seenBody = true;
            else if (seenBody) sorted = false;
        }
        if (sorted) return null;
        var order = new int[count];
        var at = 0;
        for (var i = 0; i < count; i++) if (xattr(i)) order[at++] = i;
        for (var i = 0; i < count; i++) if (!xattr(i)) order[at++] = i;
        return order;
    }
}
