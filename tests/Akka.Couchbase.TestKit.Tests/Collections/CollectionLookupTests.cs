using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;
using static Akka.Couchbase.TestKit.Tests.Collections.CollectionFrames;

namespace Akka.Couchbase.TestKit.Tests.Collections;

/// <summary>
/// GET_COLLECTIONS_MANIFEST, GET_COLLECTION_ID and GET_SCOPE_ID over raw frames, answered as kv_engine does: ids and
/// the manifest uid in the extras, UNKNOWN_SCOPE / UNKNOWN_COLLECTION with the manifest uid in a JSON body, EINVAL for
/// a malformed path.
/// </summary>
public sealed class CollectionLookupTests : ClusterTestBase
{
    /// <summary>Scope <c>inventory</c> (id 9) with collection <c>airline</c> (id 0xa): manifest uid 3.</summary>
    private uint CreateAirline()
    {
        Default.Collections.CreateScope("inventory");
        return Default.Collections.CreateCollection("inventory", "airline");
    }

    [Fact]
    public async Task A_new_bucket_has_the_default_and_system_scopes_and_user_ids_start_after_them()
    {
        Assert.Equal(1UL, Default.Collections.ManifestUid);
        Assert.Equal(9u, Default.Collections.CreateScope("inventory"));
        Assert.Equal(10u, Default.Collections.CreateCollection("inventory", "airline"));
        Assert.Equal(11u, Default.Collections.CreateCollection("inventory", "route"));
        Assert.Equal(4UL, Default.Collections.ManifestUid);
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        Assert.Equal((4UL, 0u), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "_default._default")));
        Assert.Equal((4UL, 8u), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "_system._mobile")));
        Assert.Equal((4UL, 9u), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "_system._query")));
    }

    [Fact]
    public async Task Get_collection_id_takes_every_path_form_in_the_value_or_in_the_key()
    {
        var airline = CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[1].KvPort);
        var byValue = await c.LookUpAsync(Opcode.GetCollectionId, "inventory.airline");
        Assert.Equal(KvStatus.Success, byValue.Status);
        Assert.Equal((3UL, airline), Ids(byValue));
        Assert.Equal(0, byValue.KeyLength + byValue.ValueLength);
        var byKey = await c.RequestAsync(Opcode.GetCollectionId, System.Text.Encoding.UTF8.GetBytes("inventory.airline"));
        Assert.Equal((3UL, airline), Ids(byKey));
        Assert.Equal((3UL, 0u), Ids(await c.LookUpAsync(Opcode.GetCollectionId, ".")));
        Assert.Equal((3UL, 0u), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "_default.")));
        Assert.Equal((3UL, 0u), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "._default")));
    }

    [Fact]
    public async Task Unknown_scope_and_unknown_collection_carry_the_manifest_uid()
    {
        CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        var noScope = await c.LookUpAsync(Opcode.GetCollectionId, "nope.airline");
        Assert.Equal(UnknownScope, noScope.Status);
        Assert.Equal(DataType.Json, noScope.DataType);
        Assert.Equal("3", JObject.Parse(Body(noScope)).Value<string>("manifest_uid"));
        var noCollection = await c.LookUpAsync(Opcode.GetCollectionId, "inventory.nope");
        Assert.Equal(KvStatus.UnknownCollection, noCollection.Status);
        Assert.Equal("{\"manifest_uid\":\"3\",\"error\":{\"context\":\"Unknown scope or collection in operation\"}}", Body(noCollection));
        // ".airline" looks in the _default scope
        Assert.Equal(KvStatus.UnknownCollection, (await c.LookUpAsync(Opcode.GetCollectionId, ".airline")).Status);
    }

    [Theory]
    [InlineData("inventory")]            // no dot
    [InlineData("inventory.airline.x")]  // two dots
    [InlineData("$inv.airline")]         // $ first
    [InlineData("inventory.air line")]   // a space
    public async Task A_malformed_collection_path_is_invalid(string path)
    {
        CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        var f = await c.LookUpAsync(Opcode.GetCollectionId, path);
        Assert.Equal(KvStatus.InvalidArguments, f.Status);
        Assert.NotNull(JObject.Parse(Body(f))["error"]!["context"]);
    }

    [Fact]
    public async Task The_path_cannot_be_in_both_the_key_and_the_value()
    {
        CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        var both = await c.RequestAsync(Opcode.GetCollectionId, System.Text.Encoding.UTF8.GetBytes("inventory.airline"),
            value: System.Text.Encoding.UTF8.GetBytes("inventory.airline"));
        Assert.Equal(KvStatus.InvalidArguments, both.Status);
        Assert.Equal("Cannot set both key and value", JObject.Parse(Body(both))["error"]!.Value<string>("context"));
    }

    [Fact]
    public async Task Get_scope_id_answers_scopes_and_ignores_a_collection_part()
    {
        CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[2].KvPort);
        Assert.Equal((3UL, 9u), Ids(await c.LookUpAsync(GetScopeId, "inventory")));
        Assert.Equal((3UL, 9u), Ids(await c.LookUpAsync(GetScopeId, "inventory.whatever")));
        Assert.Equal((3UL, 0u), Ids(await c.LookUpAsync(GetScopeId, "")));
        Assert.Equal((3UL, 8u), Ids(await c.LookUpAsync(GetScopeId, "_system")));
        var unknown = await c.LookUpAsync(GetScopeId, "nope");
        Assert.Equal(UnknownScope, unknown.Status);
        Assert.Equal("3", JObject.Parse(Body(unknown)).Value<string>("manifest_uid"));
        Assert.Equal(KvStatus.InvalidArguments, (await c.LookUpAsync(GetScopeId, "a.b.c")).Status);
    }

    [Fact]
    public async Task Get_collections_manifest_is_the_data_service_rendering()
    {
        CreateAirline();
        Default.Collections.CreateCollection("inventory", "hotel", maxTtlSeconds: 3600);
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        var f = await c.RequestAsync(Opcode.GetCollectionsManifest, Array.Empty<byte>());
        Assert.Equal(KvStatus.Success, f.Status);
        Assert.Equal(DataType.Json, f.DataType);
        Assert.Equal(
            "{\"scopes\":[" +
            "{\"collections\":[{\"maxTTL\":3600,\"name\":\"hotel\",\"uid\":\"b\"},{\"name\":\"airline\",\"uid\":\"a\"}],\"name\":\"inventory\",\"uid\":\"9\"}," +
            "{\"collections\":[{\"name\":\"_default\",\"uid\":\"0\"}],\"name\":\"_default\",\"uid\":\"0\"}," +
            "{\"collections\":[{\"maxTTL\":0,\"name\":\"_query\",\"uid\":\"9\"},{\"maxTTL\":0,\"name\":\"_mobile\",\"uid\":\"8\"}],\"name\":\"_system\",\"uid\":\"8\"}]," +
            "\"uid\":\"4\"}",
            Body(f));
        Assert.Equal(KvStatus.InvalidArguments, (await c.RequestAsync(Opcode.GetCollectionsManifest, System.Text.Encoding.UTF8.GetBytes("x"))).Status);
    }

    [Fact]
    public async Task Collection_commands_need_a_bucket_and_memcached_buckets_have_none()
    {
        await using var bare = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        await bare.HelloAsync(HelloFeature.Collections, HelloFeature.XError);
        await bare.PlainAsync("Administrator", "password");
        Assert.Equal(KvStatus.NoBucket, (await bare.LookUpAsync(Opcode.GetCollectionId, ".")).Status);
        Assert.Equal(KvStatus.NoBucket, (await bare.RequestAsync(Opcode.GetCollectionsManifest, Array.Empty<byte>())).Status);
    }
}
