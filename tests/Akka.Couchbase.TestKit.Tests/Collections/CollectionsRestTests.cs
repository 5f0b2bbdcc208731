using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Collections;

/// <summary>
/// The cluster manager's scopes and collections API over HTTP, answered with Couchbase Server 7.6's statuses, bodies
/// and wording (ns_server <c>menelaus_web_collections</c>).
/// </summary>
public sealed class CollectionsRestTests : ClusterTestBase
{
    private HttpClient Client(int node = 0)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Cluster.Nodes[node].MgmtPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        return http;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string path, params (string, string)[] form)
    {
        using var resp = await http.PostAsync(path, new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
        return (resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> DeleteAsync(HttpClient http, string path)
    {
        using var resp = await http.DeleteAsync(path);
        return (resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    private const string Scopes = "/pools/default/buckets/default/scopes";

    [Fact]
    public async Task A_new_bucket_lists_the_default_and_system_scopes()
    {
        using var http = Client();
        Assert.Equal(
            "{\"uid\":\"1\",\"scopes\":[" +
            "{\"name\":\"_default\",\"uid\":\"0\",\"collections\":[{\"name\":\"_default\",\"uid\":\"0\",\"maxTTL\":0}]}," +
            "{\"name\":\"_system\",\"uid\":\"8\",\"collections\":[" +
            "{\"name\":\"_query\",\"uid\":\"9\",\"maxTTL\":-1,\"history\":false},{\"name\":\"_mobile\",\"uid\":\"8\",\"maxTTL\":-1,\"history\":false}]}]}",
            await http.GetStringAsync(Scopes));
    }

    [Fact]
    public async Task Creating_and_dropping_answers_the_new_manifest_uid()
    {
        using var http = Client(1);
        Assert.Equal((HttpStatusCode.OK, "{\"uid\":\"2\"}"), await PostAsync(http, Scopes, ("name", "inventory")));
        Assert.Equal((HttpStatusCode.OK, "{\"uid\":\"3\"}"), await PostAsync(http, Scopes + "/inventory/collections", ("name", "airline")));
        Assert.Equal((HttpStatusCode.OK, "{\"uid\":\"4\"}"), await PostAsync(http, Scopes + "/inventory/collections", ("name", "hotel"), ("maxTTL", "3600")));
        var manifest = JObject.Parse(await http.GetStringAsync(Scopes));
        Assert.Equal("4", manifest.Value<string>("uid"));
        var inventory = manifest["scopes"]!.Single(s => s.Value<string>("name") == "inventory");
        Assert.Equal("9", inventory.Value<string>("uid"));
        Assert.Equal(new[] { "hotel:b:3600", "airline:a:0" },
            inventory["collections"]!.Select(c => $"{c.Value<string>("name")}:{c.Value<string>("uid")}:{c.Value<long>("maxTTL")}"));
        Assert.Equal(10u, Default.Collections.IdOf("inventory", "airline"));
        Assert.Equal((HttpStatusCode.OK, "{\"uid\":\"5\"}"), await DeleteAsync(http, Scopes + "/inventory/collections/airline"));
        Assert.Null(Default.Collections.IdOf("inventory", "airline"));
        Assert.Equal((HttpStatusCode.OK, "{\"uid\":\"6\"}"), await DeleteAsync(http, Scopes + "/inventory"));
        Assert.Null(Default.Collections.ScopeIdOf("inventory"));
        // the map of every node names the manifest uid
        Assert.Equal("6", JObject.Parse(await Client(2).GetStringAsync("/pools/default/b/default")).Value<string>("collectionsManifestUid"));
    }

    [Fact]
    public async Task Refusals_are_worded_as_the_server_words_them()
    {
        using var http = Client();
        await PostAsync(http, Scopes, ("name", "inventory"));
        await PostAsync(http, Scopes + "/inventory/collections", ("name", "airline"));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"_\":\"Scope with name \\\"inventory\\\" already exists\"}}"),
            await PostAsync(http, Scopes, ("name", "inventory")));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"_\":\"Collection with name \\\"airline\\\" in scope \\\"inventory\\\" already exists\"}}"),
            await PostAsync(http, Scopes + "/inventory/collections", ("name", "airline")));
        Assert.Equal((HttpStatusCode.NotFound, "{\"errors\":{\"_\":\"Scope with name \\\"nope\\\" is not found\"}}"),
            await PostAsync(http, Scopes + "/nope/collections", ("name", "airline")));
        Assert.Equal((HttpStatusCode.NotFound, "{\"errors\":{\"_\":\"Collection with name \\\"nope\\\" in scope \\\"inventory\\\" is not found\"}}"),
            await DeleteAsync(http, Scopes + "/inventory/collections/nope"));
        Assert.Equal((HttpStatusCode.NotFound, "{\"errors\":{\"_\":\"Scope with name \\\"nope\\\" is not found\"}}"),
            await DeleteAsync(http, Scopes + "/nope"));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"_\":\"Deleting _default scope is not allowed\"}}"),
            await DeleteAsync(http, Scopes + "/_default"));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"_\":\"Deleting _system scope is not allowed\"}}"),
            await DeleteAsync(http, Scopes + "/_system"));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"_\":\"Cannot drop system collection \\\"_query\\\" for scope \\\"_system\\\"\"}}"),
            await DeleteAsync(http, Scopes + "/_system/collections/_query"));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"_\":\"cannot create collection in '_system' scope\"}}"),
            await PostAsync(http, Scopes + "/_system/collections", ("name", "mine")));
        Assert.Equal("3", JObject.Parse(await http.GetStringAsync(Scopes)).Value<string>("uid")); // nothing changed
    }

    [Theory]
    [InlineData("_private", "First character must not be _ or %")]
    [InlineData("%x", "First character must not be _ or %")]
    [InlineData("with space", "Can only contain characters A-Z, a-z, 0-9 and the following symbols _ - %")]
    [InlineData("", "Name length (0) must be in the range from 1 to 251, inclusive")]
    public async Task A_bad_name_is_a_form_error(string name, string message)
    {
        using var http = Client();
        var (status, body) = await PostAsync(http, Scopes, ("name", name));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, JObject.Parse(body)["errors"]!.Value<string>("name"));
    }

    [Fact]
    public async Task Names_of_251_characters_are_taken_and_252_are_not()
    {
        using var http = Client();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, Scopes, ("name", new string('s', 251)))).Status);
        var (status, body) = await PostAsync(http, Scopes, ("name", new string('s', 252)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Name length (252) must be in the range from 1 to 251, inclusive", JObject.Parse(body)["errors"]!.Value<string>("name"));
    }

    [Fact]
    public async Task Missing_unsupported_and_malformed_fields_are_form_errors()
    {
        using var http = Client();
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"name\":\"The value must be supplied\"}}"), await PostAsync(http, Scopes));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"colour\":\"Unsupported key\"}}"),
            await PostAsync(http, Scopes, ("name", "inventory"), ("colour", "blue")));
        await PostAsync(http, Scopes, ("name", "inventory"));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"maxTTL\":\"The value must be an integer\"}}"),
            await PostAsync(http, Scopes + "/inventory/collections", ("name", "c"), ("maxTTL", "soon")));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"errors\":{\"maxTTL\":\"The value must be in range from -1 to 4294967295\"}}"),
            await PostAsync(http, Scopes + "/inventory/collections", ("name", "c"), ("maxTTL", "-2")));
        Assert.Equal((HttpStatusCode.BadRequest, "Not allowed on this type of bucket"),
            await PostAsync(http, Scopes + "/inventory/collections", ("name", "c"), ("history", "true")));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, Scopes + "/inventory/collections", ("name", "c"), ("maxTTL", "-1"), ("history", "false"))).Status);
    }

    [Fact]
    public async Task Ensure_manifest_answers_once_the_manifest_is_that_new()
    {
        using var http = Client();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, Scopes + "/@ensureManifest/1")).Status);
        Assert.Equal((HttpStatusCode.GatewayTimeout, "timeout"), await PostAsync(http, Scopes + "/@ensureManifest/2", ("timeout", "50")));
        var waiting = PostAsync(http, Scopes + "/@ensureManifest/2", ("timeout", "20000"));
        Default.Collections.CreateScope("inventory");
        Assert.Equal(HttpStatusCode.OK, (await waiting).Status);
    }

    [Fact]
    public async Task An_unknown_bucket_is_not_found()
    {
        using var http = Client();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/pools/default/buckets/nope/scopes")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(http, "/pools/default/buckets/nope/scopes", ("name", "x"))).Status);
    }
}
