using System.Net.Http.Headers;
using System.Text;

namespace Akka.Couchbase.ViewBench;

/// <summary>
/// The data set: <c>docs</c> documents <c>viewbench:000000</c>... each <c>{"n":rowsPerDocument}</c>, and the design
/// document <c>viewbench</c> whose view <c>rows</c> emits <c>[id, i]</c> with value <c>i</c> for i below n: rows of
/// about 50 bytes on the wire, in key order by document and index.
/// </summary>
internal static class ViewDataSet
{
    public const string DesignDocument = "viewbench";
    public const string View = "rows";

    private const string Map =
        "function (doc, meta) { if (meta.id.indexOf('viewbench:') === 0) { for (var i = 0; i < doc.n; i++) { emit([meta.id, i], i); } } }";

    public static async Task WriteDocumentsAsync(CouchbaseClient client, int docs, int rowsPerDocument)
    {
        for (var start = 0; start < docs; start += 256)
        {
            var batch = Enumerable.Range(start, Math.Min(256, docs - start))
                .Select(i => client.UpsertAsync($"viewbench:{i:D6}", new { n = rowsPerDocument }));
            foreach (var result in await Task.WhenAll(batch))
                if (!result.IsSuccess) throw new InvalidOperationException($"writing {result.Key} failed: {result.Outcome}");
        }
    }

    public static async Task PutDesignDocumentAsync(string viewsUrl, string bucket, string? user, string? password)
    {
        using var http = new HttpClient();
        if (user is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        var body = "{\"views\":{\"" + View + "\":{\"map\":\"" + Map + "\"}}}";
        using var response = await http.PutAsync($"{viewsUrl}/{bucket}/_design/{DesignDocument}",
            new StringContent(body, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"storing the design document failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
