using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>Selection (key ranges, keys, order) and reduction over a built index.</summary>
internal static class ViewQueryExecutor
{
    /// <summary>How many rows one JavaScript reduce call gets before the results are re-reduced.</summary>
    internal const int ReduceBatchSize = 128;

    /// <summary>The rows a query selects, in the query's order, before skip and limit.</summary>
    public static IEnumerable<ViewRow> Select(ViewRow[] rows, ViewQuery q)
    {
        if (q.Keys != null)
        {
            return q.Keys.SelectMany(k => Range(rows, k, k, null, null, inclusiveEnd: true, q.Descending));
        }
        if (q.Key != null)
        {
            return Range(rows, q.Key, q.Key, q.StartKeyDocId, q.EndKeyDocId, q.InclusiveEnd, q.Descending);
        }
        return Range(rows, q.StartKey, q.EndKey, q.StartKeyDocId, q.EndKeyDocId, q.InclusiveEnd, q.Descending);
    }

    /// <summary>Skip and limit over any sequence.</summary>
    public static IEnumerable<T> Page<T>(IEnumerable<T> rows, ViewQuery q)
    {
        var paged = q.Skip > 0 ? rows.Skip(q.Skip) : rows;
        return q.Limit is { } limit ? paged.Take(limit) : paged;
    }

    /// <summary>
    /// Groups and reduces the selected rows (<paramref name="q"/>.Reduce is true). With <c>keys</c> each listed key
    /// is reduced on its own. Calls into <paramref name="ddoc"/>'s engine for JavaScript reduces: the caller holds
    /// its gate.
    /// </summary>
    public static List<(JToken Key, JToken Value)> Reduce(DesignDocument ddoc, ViewDefinition view, ViewRow[] rows, ViewQuery q,
        CancellationToken ct)
    {
        var segments = q.Keys != null
            ? q.Keys.Select(k => Range(rows, k, k, null, null, inclusiveEnd: true, q.Descending))
            : new[] { Select(rows, q) };
        var result = new List<(JToken Key, JToken Value)>();
        foreach (var segment in segments)
        {
            var group = new List<ViewRow>();
            JToken? groupKey = null;
            foreach (var row in segment)
            {
                var k = GroupKey(row.Key, q);
                if (group.Count > 0 && ViewCollation.Compare(groupKey, k) != 0)
                {
                    result.Add((groupKey!, ReduceGroup(ddoc, view, group, ct)));
                    group.Clear();
                }
                if (group.Count == 0) groupKey = k;
                group.Add(row);
            }
            if (group.Count > 0) result.Add((groupKey!, ReduceGroup(ddoc, view, group, ct)));
        }
        return result;
    }

    private static JToken GroupKey(JToken key, ViewQuery q)
    {
        if (q.Group) return key;
        if (q.GroupLevel is { } level)
        {
            if (level == 0) return JValue.CreateNull();
            return key is JArray a && a.Count > level ? new JArray(a.Take(level)) : key;
        }
        return JValue.CreateNull();
    }

    private static JToken ReduceGroup(DesignDocument ddoc, ViewDefinition view, List<ViewRow> rows, CancellationToken ct)
    {
        if (view.BuiltInReduce is { } builtIn)
            return ViewReducers.Run(builtIn, rows.Select(r => r.Value).ToList(), rereduce: false);

        var partials = new List<JToken>();
        for (var i = 0; i < rows.Count; i += ReduceBatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = rows.GetRange(i, Math.Min(ReduceBatchSize, rows.Count - i));
            var keys = batch.Select(r => (JToken)new JArray(r.Key.DeepClone(), r.Id)).ToList();
            partials.Add(ddoc.Engine.Reduce(view.Name, keys, batch.Select(r => r.Value).ToList(), rereduce: false));
        }
        while (partials.Count > 1)
        {
            ct.ThrowIfCancellationRequested();
            var next = new List<JToken>();
            for (var i = 0; i < partials.Count; i += ReduceBatchSize)
                next.Add(ddoc.Engine.Reduce(view.Name, null,
                    partials.GetRange(i, Math.Min(ReduceBatchSize, partials.Count - i)), rereduce: true));
            partials = next;
        }
        return partials[0];
    }

    /// <summary>Rows between two bounds, walking up (ascending) or down (descending) the sorted index.</summary>
    private static IEnumerable<ViewRow> Range(ViewRow[] rows, JToken? startKey, JToken? endKey, string? startDocId,
        string? endDocId, bool inclusiveEnd, bool descending)
    {
        if (!descending)
        {
            var from = startKey == null ? 0
                : startDocId != null ? First(rows, r => Cmp(r, startKey, startDocId) >= 0)
                : First(rows, r => ViewCollation.Compare(r.Key, startKey) >= 0);
            var to = endKey == null ? rows.Length
                : inclusiveEnd
                    ? endDocId != null ? First(rows, r => Cmp(r, endKey, endDocId) > 0)
                        : First(rows, r => ViewCollation.Compare(r.Key, endKey) > 0)
                    : endDocId != null ? First(rows, r => Cmp(r, endKey, endDocId) >= 0)
                        : First(rows, r => ViewCollation.Compare(r.Key, endKey) >= 0);
            return Ascending(rows, from, to);
        }
        else
        {
            var top = startKey == null ? rows.Length - 1
                : startDocId != null ? First(rows, r => Cmp(r, startKey, startDocId) > 0) - 1
                : First(rows, r => ViewCollation.Compare(r.Key, startKey) > 0) - 1;
            var bottom = endKey == null ? 0
                : inclusiveEnd
                    ? endDocId != null ? First(rows, r => Cmp(r, endKey, endDocId) >= 0)
                        : First(rows, r => ViewCollation.Compare(r.Key, endKey) >= 0)
                    : endDocId != null ? First(rows, r => Cmp(r, endKey, endDocId) > 0)
                        : First(rows, r => ViewCollation.Compare(r.Key, endKey) > 0);
            return DescendingRange(rows, top, bottom);
        }
    }

    private static IEnumerable<ViewRow> Ascending(ViewRow[] rows, int from, int to)
    {
        for (var i = from; i < to; i++) yield return rows[i];
    }

    private static IEnumerable<ViewRow> DescendingRange(ViewRow[] rows, int top, int bottom)
    {
        for (var i = top; i >= bottom; i--) yield return rows[i];
    }

    /// <summary>Row position relative to (key, docid): key collation first, then the id.</summary>
    private static int Cmp(ViewRow row, JToken key, string docId)
    {
        var c = ViewCollation.Compare(row.Key, key);
        return c != 0 ? c : string.CompareOrdinal(row.Id, docId);
    }

    /// <summary>The first index where a monotone predicate (false...false true...true) holds; the length when never.</summary>
    private static int First(ViewRow[] rows, Func<ViewRow, bool> predicate)
    {
        int lo = 0, hi = rows.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (predicate(rows[mid])) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
