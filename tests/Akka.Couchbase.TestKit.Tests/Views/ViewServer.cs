using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Akka.Couchbase.TestKit.Http;
using Akka.Couchbase.TestKit.Views;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Tests.Views;

/// <summary>An <see cref="HttpServer"/> serving a <see cref="ViewService"/> over an in-memory source, plus a client.</summary>
internal sealed class ViewServer : IAsyncDisposable
{
    public const string User = "Administrator";
    public const string Password = "password";

    public ViewServer(InMemoryViewSource? source = null, HttpServerOptions? options = null)
    {
        Source = source ?? new InMemoryViewSource();
        Service = new ViewService(Source, DesignDocs, (u, p) => u == User && p == Password, Faults);
        Server = HttpServer.Start(IPAddress.Loopback, 0, Service.HandleAsync, options ?? HttpServerOptions.Default);
        Client = NewClient();
    }

    public InMemoryViewSource Source { get; }
    public DesignDocumentStore DesignDocs { get; } = new();
    public ViewFaults Faults { get; } = new();
    public ViewService Service { get; }
    public HttpServer Server { get; }
    public HttpClient Client { get; }

    public HttpClient NewClient(bool authenticated = true)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
        if (authenticated)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)));
        return client;
    }

    /// <summary>GETs a path and parses the JSON body (status returned alongside).</summary>
    public async Task<(HttpStatusCode Status, JObject Body)> GetJsonAsync(string path)
    {
        using var reply = await Client.GetAsync(path);
        return (reply.StatusCode, Parse(await reply.Content.ReadAsStringAsync()));
    }

    public async Task<(HttpStatusCode Status, JObject Body)> SendJsonAsync(HttpMethod method, string path, string? body = null)
    {
        using var msg = new HttpRequestMessage(method, path);
        if (body != null) msg.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var reply = await Client.SendAsync(msg);
        return (reply.StatusCode, Parse(await reply.Content.ReadAsStringAsync()));
    }

    public static JObject Parse(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
