using Akka.Configuration;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;
using Xunit;

namespace Akka.Couchbase.Tests.Collections;

/// <summary>
/// How a command names its collection, before the wire: the client's defaults stand for names left out, bad names and
/// memcached buckets are refused with the reason, and on a connection that negotiated Collections the key goes out
/// behind its collection id (0x00 for the default collection), the key length counting it.
/// </summary>
public sealed class CollectionRequestSpec
{
    private static RequestFactory Factory(string hocon = "") => new(
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(hocon)), DefaultTranscoder.Instance);

    [Fact]
    public void The_default_collection_needs_no_lookup_and_named_ones_carry_their_path()
    {
        var factory = Factory();
        Assert.Null(factory.Create(new Kv.Get("k"), default).CollectionPath);
        Assert.Null(factory.Create(new Kv.Get("k") { Scope = "_default", Collection = "_default" }, default).CollectionPath);
        Assert.Equal("inventory.airline",
            factory.Create(new Kv.Get("k") { Scope = "inventory", Collection = "airline" }, default).CollectionPath);
        Assert.Equal("_default.airline", factory.Create(new Kv.Get("k") { Collection = "airline" }, default).CollectionPath);
    }

    [Fact]
    public void The_clients_default_collection_stands_for_names_left_out()
    {
        var factory = Factory("default-scope = inventory\ndefault-collection = airline");
        Assert.Equal("inventory.airline", factory.Create(new Kv.Upsert("k", "v"), default).CollectionPath);
        Assert.Equal("inventory.hotel", factory.Create(new Kv.Upsert("k", "v") { Collection = "hotel" }, default).CollectionPath);
    }

    [Theory]
    [InlineData("", "airline", "the scope name '' is empty")]
    [InlineData("inventory", "air line", "the collection name 'air line' contains ' '")]
    [InlineData("_system", "airline", "the scope name '_system' starts with '_'")]
    [InlineData("inventory", "%x", "the collection name '%x' starts with '%'")]
    public void Bad_names_are_refused_before_the_wire_naming_the_problem(string scope, string collection, string problem)
    {
        var e = Assert.Throws<KvInvalidArgumentException>(() =>
            Factory().Create(new Kv.Get("k") { Scope = scope, Collection = collection }, default));
        Assert.Contains("Get of key 'k'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Memcached_buckets_have_only_the_default_collection()
    {
        var factory = Factory("bucket-type = memcached");
        Assert.Null(factory.Create(new Kv.Get("k"), default).CollectionPath);
        var e = Assert.Throws<KvInvalidArgumentException>(() =>
            factory.Create(new Kv.Get("k") { Scope = "inventory", Collection = "airline" }, default));
        Assert.Contains("memcached buckets have only _default._default", e.Message);
    }

    [Fact]
    public void A_bad_default_collection_in_hocon_is_an_error_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => Factory("default-collection = \"a.b\""));
        Assert.Contains("akka.couchbase.default-collection", e.Message);
    }

    [Theory]
    [InlineData(0u, new byte[] { 0x00 })]
    [InlineData(0x555u, new byte[] { 0xD5, 0x0A })]
    public void On_a_collections_connection_the_key_goes_out_behind_its_collection_id(uint id, byte[] prefix)
    {
        var request = Factory().Create(new Kv.Get("key") { Scope = "s", Collection = "c" }, default);
        request.CollectionId = id;
        var frame = new byte[request.EncodedSize + RequestEncoder.MaxCollectionPrefix];
        var length = RequestEncoder.Write(frame, request, jsonNegotiated: true, collectionsNegotiated: true);
        Assert.Equal(request.EncodedSize + prefix.Length, length);
        Assert.Equal(prefix.Length + 3, (frame[2] << 8) | frame[3]); // key length counts the prefix
        Assert.Equal(prefix.Concat("key"u8.ToArray()).ToArray(), frame.AsSpan(Frame.HeaderSize, prefix.Length + 3).ToArray());

        var plain = new byte[request.EncodedSize];
        var plainLength = RequestEncoder.Write(plain, request, jsonNegotiated: true, collectionsNegotiated: false);
        Assert.Equal(request.EncodedSize, plainLength);
        Assert.Equal(Frame.HeaderSize + 3, plainLength);
        Assert.Equal("key"u8.ToArray(), plain.AsSpan(Frame.HeaderSize, 3).ToArray());
    }

    [Fact]
    public void Observe_bodies_carry_the_collection_id_in_front_of_the_key_when_asked()
    {
        Assert.Equal(new byte[] { 0, 7, 0, 1, (byte)'k' }, ObservedKey.RequestBody(7, "k"));
        Assert.Equal(new byte[] { 0, 7, 0, 3, 0x80, 0x01, (byte)'k' }, ObservedKey.RequestBody(7, "k", 0x80));
    }
}
