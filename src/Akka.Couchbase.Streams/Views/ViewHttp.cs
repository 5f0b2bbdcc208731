using System.Net;
using Akka.Couchbase.Transport;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Sends a view query over HTTP and returns the open response once its headers arrived, retrying temporary errors
/// (spec §9.3) before any row is read; view queries are idempotent, so this is always safe.
/// </summary>
internal static class ViewHttp
{
    private static int _roundRobin;

    /// <summary>
    /// Opens the query on one of <paramref name="endpoints"/> (round robin) through <paramref name="http"/>, the HTTP
    /// client of the caller's TLS rules (<see cref="HttpClients.For"/>). Cancelling
    /// <paramref name="cancellationToken"/> later abandons the response: its connection is closed at once.
    /// </summary>
    public static async Task<ViewRowReader> OpenAsync(HttpClients.Entry http, IReadOnlyList<Uri> endpoints,
        ViewQuery query, ViewSettings settings, string? user, string? password, CancellationToken cancellationToken)
    {
        if (endpoints.Count == 0) throw new ViewQueryException("no node of the cluster map serves views");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        var delay = settings.RetryMinBackoff;
        for (var attempt = 0; ; attempt++)
        {
            var endpoint = endpoints[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)endpoints.Count)];
            var uri = Build(endpoint, query);
            using var request = new HttpRequestMessage(query.Keys is null ? HttpMethod.Get : HttpMethod.Post, uri);
            if (query.Body() is { } body) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (!string.IsNullOrEmpty(user))
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            HttpResponseMessage response;
            try
            {
                response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ViewQueryException($"view {query.DesignDocumentPath}/{query.View} got no answer from {uri.GetLeftPart(UriPartial.Path)} within {settings.Timeout.TotalMilliseconds}ms", uri: uri);
            }
            catch (HttpRequestException e)
            {
                if (attempt < settings.MaxRetries)
                {
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                    delay += delay;
                    continue;
                }
                throw new ViewQueryException($"view {query.DesignDocumentPath}/{query.View}: {uri.GetLeftPart(UriPartial.Path)} could not be reached ({http.Tls.Explain(e, uri)})", uri: uri, inner: e);
            }
            if (response.StatusCode == HttpStatusCode.OK)
            {
                try
                {
                    return await ViewRowReader.OpenAsync(response, query, uri, settings.IdleTimeout, cancellationToken,
                        deadline.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    response.Dispose();
                    throw;
                }
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                var (error, reason) = ParseError(text);
                var status = (int)response.StatusCode;
                if (IsTemporary(status, text) && attempt < settings.MaxRetries)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? delay;
                    await Task.Delay(wait, deadline.Token).ConfigureAwait(false);
                    delay += delay;
                    continue;
                }
                throw new ViewQueryException(
                    $"view {query.DesignDocumentPath}/{query.View} on {uri.GetLeftPart(UriPartial.Path)} failed: HTTP {status}" +
                    (error is null ? "" : $" {error}") + (reason is null ? "" : $" ({reason})") +
                    (attempt > 0 ? $" after {attempt} retries" : ""), status, error, reason, uri);
            }
        }
    }

    internal static Uri Build(Uri endpoint, ViewQuery query)
    {
        var basePath = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var path = $"{basePath}/_design/{Uri.EscapeDataString(query.DesignDocumentPath)}/_view/{Uri.EscapeDataString(query.View)}";
        var qs = query.QueryString();
        return new Uri(qs.Length == 0 ? path : path + "?" + qs);
    }

    /// <summary>Spec §9.3: 300-302 (no active partition), 303, 307, 408, 409, 412, 416, 417, 500 (but a missing view or badarg), 501-504.</summary>
    private static bool IsTemporary(int status, string body) => status switch
    {
        300 or 301 or 302 or 303 or 307 or 408 or 409 or 412 or 416 or 417 or 501 or 502 or 503 or 504 => true,
        500 => !body.Contains("missing_named_view", StringComparison.Ordinal) && !body.Contains("badarg", StringComparison.Ordinal),
        _ => false,
    };

    private static (string? Error, string? Reason) ParseError(string body)
    {
        try
        {
            var json = JObject.Parse(body);
            return (json.Value<string?>("error"), json.Value<string?>("reason"));
        }
        catch (Exception)
        {
            return (null, body.Length > 200 ? body.Substring(0, 200) : body);
        }
    }
}
