using System.Diagnostics;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>One emitted row of a view index.</summary>
internal sealed class ViewRow(string id, JToken key, JToken value, int sequence)
{
    public string Id { get; } = id;
    public JToken Key { get; } = key;
    public JToken Value { get; } = value;

    /// <summary>Emission order, the last tie-break (a document may emit the same key twice).</summary>
    public int Sequence { get; } = sequence;

    /// <summary>Index order: key collation, then document id (ordinal), then emission order.</summary>
    public static int Compare(ViewRow a, ViewRow b)
    {
        var c = ViewCollation.Compare(a.Key, b.Key);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Id, b.Id);
        if (c != 0) return c;
        return a.Sequence.CompareTo(b.Sequence);
    }
}

/// <summary>The sorted rows of one view. Immutable once built.</summary>
internal sealed class ViewIndex
{
    public ViewIndex(ViewRow[] rows)
    {
        Rows = rows;
    }

    /// <summary>All rows in ascending index order.</summary>
    public ViewRow[] Rows { get; }
}

/// <summary>The indexes of every view of one design document, built from one snapshot of the bucket.</summary>
internal sealed class ViewIndexSet
{
    private ViewIndexSet(long generation, IReadOnlyDictionary<string, ViewIndex> views, int documents, int mapErrors,
        string? firstError, TimeSpan buildTime)
    {
        Generation = generation;
        Views = views;
        Documents = documents;
        MapErrors = mapErrors;
        FirstError = firstError;
        BuildTime = buildTime;
    }

    /// <summary>The source generation it was built from (negative: unknown, never reused).</summary>
    public long Generation { get; }
    public IReadOnlyDictionary<string, ViewIndex> Views { get; }
    public int Documents { get; }
    public int MapErrors { get; }
    public string? FirstError { get; }
    public TimeSpan BuildTime { get; }

    /// <summary>The part of <see cref="BuildTime"/> spent running map functions (the rest is sorting).</summary>
    public TimeSpan MapTime { get; private init; }

    /// <summary>
    /// After this many documents hit an execution limit in one build, a view's map is skipped for the remaining
    /// documents (each counts as a map error), so a runaway function costs seconds, not hours.
    /// </summary>
    internal const int RunawayLimitHits = 3;

    /// <summary>
    /// Runs every map function of <paramref name="ddoc"/> over a snapshot of the bucket. The caller holds
    /// <see cref="DesignDocument.Gate"/>.
    /// </summary>
    public static ViewIndexSet Build(DesignDocument ddoc, IViewDocumentSource source, long generation,
        CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var names = ddoc.Views.Keys.ToArray();
        var rows = names.Select(_ => new List<ViewRow>()).ToArray();
        var emitted = new List<(JToken Key, JToken Value)>();
        var documents = 0;
        var errors = 0;
        string? firstError = null;
        var sequence = 0;
        var limitHits = new int[names.Length];
        foreach (var doc in source.Documents(ddoc.Bucket))
        {
            if ((++documents & 255) == 0) ct.ThrowIfCancellationRequested();
            for (var v = 0; v < names.Length; v++)
            {
                if (limitHits[v] >= RunawayLimitHits)
                {
                    // a runaway map: skip it for the rest of this build instead of paying the limit per document
                    errors++;
                    continue;
                }
                emitted.Clear();
                var error = ddoc.Engine.Map(names[v], doc, emitted, out var hitLimit);
                if (error != null)
                {
                    errors++;
                    if (hitLimit && ++limitHits[v] == RunawayLimitHits)
                        firstError = $"{names[v]}: map function stopped after {RunawayLimitHits} documents hit the execution limits; last: {doc.Id}: {error}";
                    firstError ??= $"{names[v]}: {doc.Id}: {error}";
                    continue;
                }
                foreach (var (key, value) in emitted) rows[v].Add(new ViewRow(doc.Id, key, value, sequence++));
            }
        }

        var mapTime = watch.Elapsed;
        var views = new Dictionary<string, ViewIndex>(StringComparer.Ordinal);
        for (var v = 0; v < names.Length; v++)
        {
            var array = rows[v].ToArray();
            Array.Sort(array, ViewRow.Compare);
            views[names[v]] = new ViewIndex(array);
        }
        return new ViewIndexSet(generation, views, documents, errors, firstError, watch.Elapsed) { MapTime = mapTime };
    }
}
