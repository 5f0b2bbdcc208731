using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// Lookup-in and mutate-in against the in-process cluster over real sockets: every spec kind, every path status the
/// server reports, multi-mutations applied all or nothing, the document-level outcomes, xattrs, and durability, as
/// kv_engine <c>docs/SubDocument.md</c> describes a Couchbase Server.
/// </summary>
public sealed class SubDocumentOverTheWireSpec : EmbeddedClusterSpec
{
    public SubDocumentOverTheWireSpec(ITestOutputHelper output) : base(output) { }

    private const string User = """{"name":"Ada","address":{"city":"London"},"tags":["a","b","c"],"logins":5,"big":99999999999999999999}""";

    private async Task<string> Seed(string key, string json = User)
    {
        await Client.UpsertAsync(key, new JRaw(json));
        return key;
    }

    private async Task<JObject> Document(string key) => JObject.Parse((await Client.GetAsync(key)).ContentAs<string>());

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    [Fact]
    public async Task Get_exists_count_and_the_whole_document_read_one_version()
    {
        var key = await Seed("sub::read");
        var cas = (await Client.GetAsync(key)).Cas;

        var result = await Client.LookupInAsync(key, s => s.Get("address.city").Exists("tags[1]").Count("tags").GetDocument().Get("tags[-1]"));

        Assert.Equal(KvOutcome.Success, result.Outcome);
        Assert.Equal(cas, result.Cas);
        Assert.Equal("London", result.ContentAs<string>(0));
        Assert.True(result.Exists(1));
        Assert.Equal(3, result.ContentAs<int>(2));
        Assert.Equal("Ada", result.ContentAs<JObject>(3)["name"]!.Value<string>());
        Assert.Equal("c", result.ContentAs<string>(4));
    }

    [Theory]
    [InlineData("missing", SubDocumentStatus.PathNotFound)]
    [InlineData("tags[7]", SubDocumentStatus.PathNotFound)]
    [InlineData("name.first", SubDocumentStatus.PathMismatch)]
    [InlineData("address[0]", SubDocumentStatus.PathMismatch)]
    [InlineData("a..b", SubDocumentStatus.PathInvalid)]
    public async Task Each_lookup_spec_has_its_own_status(string path, SubDocumentStatus status)
    {
        var key = await Seed($"sub::status::{path}");

        var result = await Client.LookupInAsync(key, s => s.Get("name").Get(path).Exists(path));

        Assert.Equal(KvOutcome.Success, result.Outcome); // the document was read
        Assert.Equal("Ada", result.ContentAs<string>(0));
        Assert.Equal(status, result.Status(1));
        Assert.Equal(status, result.Status(2));
        Assert.False(result.Exists(2));
    }

    [Fact]
    public async Task A_path_of_more_than_32_components_is_too_big()
    {
        var key = await Seed("sub::toobig");

        var result = await Client.LookupInAsync(key, s => s.Get(string.Join(".", Enumerable.Repeat("a", 33))));

        Assert.Equal(SubDocumentStatus.PathTooBig, result.Status(0));
    }

    [Fact]
    public async Task A_document_deeper_than_the_server_parses_is_too_deep()
    {
        var key = await Seed("sub::deep", Nested(40));

        var result = await Client.LookupInAsync(key, s => s.Get("a"));

        Assert.Equal(SubDocumentStatus.DocumentTooDeep, result.Status(0));
    }

    [Fact]
    public async Task A_document_that_is_not_json_has_no_paths()
    {
        await Client.UpsertAsync("sub::binary", new byte[] { 0xde, 0xad, 0xbe, 0xef });

        var result = await Client.LookupInAsync("sub::binary", s => s.Get("a"));

        Assert.Equal(SubDocumentStatus.DocumentNotJson, result.Status(0));
    }

    [Fact]
    public async Task A_missing_document_is_not_found_for_lookups_and_replace_semantics()
    {
        var lookup = await Client.LookupInAsync("sub::absent", s => s.Get("a"));
        var mutate = await Client.MutateInAsync("sub::absent", s => s.Upsert("a", 1));

        Assert.Equal(KvOutcome.NotFound, lookup.Outcome);
        Assert.Equal(KvOutcome.NotFound, mutate.Outcome);
    }

    [Fact]
    public async Task Every_mutation_kind_changes_the_document_and_a_counter_returns_its_value()
    {
        var key = await Seed("sub::mutate");

        var result = await Client.MutateInAsync(key, s => s
            .Insert("email", "ada@example.com")
            .Upsert("address.geo.lat", 51.5, createPath: true)
            .Replace("name", "Ada Lovelace")
            .Remove("big")
            .ArrayAppend("tags", "d")
            .ArrayPrepend("tags", new[] { "y", "z" })
            .ArrayInsert("tags[2]", "i")
            .ArrayAddUnique("tags", "u")
            .Increment("logins", 3)
            .Decrement("score", 2, createPath: true));

        Assert.Equal(KvOutcome.Success, result.Outcome);
        Assert.NotEqual(0UL, result.Cas);
        Assert.Equal(8L, result.ContentAs<long>(8));
        Assert.Equal(-2L, result.ContentAs<long>(9));
        var doc = await Document(key);
        Assert.Equal("ada@example.com", doc["email"]!.Value<string>());
        Assert.Equal(51.5, doc["address"]!["geo"]!["lat"]!.Value<double>());
        Assert.Equal("Ada Lovelace", doc["name"]!.Value<string>());
        Assert.Null(doc["big"]);
        Assert.Equal(new[] { "y", "z", "i", "a", "b", "c", "d", "u" }, doc["tags"]!.Values<string>());
        Assert.Equal(8, doc["logins"]!.Value<int>());
        Assert.Equal(result.Cas, (await Client.GetAsync(key)).Cas);
    }

    [Theory]
    [InlineData("insert existing", SubDocumentStatus.PathExists)]
    [InlineData("add-unique duplicate", SubDocumentStatus.PathExists)]
    [InlineData("replace missing", SubDocumentStatus.PathNotFound)]
    [InlineData("remove missing", SubDocumentStatus.PathNotFound)]
    [InlineData("upsert without parents", SubDocumentStatus.PathNotFound)]
    [InlineData("array op on a dictionary", SubDocumentStatus.PathMismatch)]
    [InlineData("counter on a string", SubDocumentStatus.PathMismatch)]
    [InlineData("counter on a huge number", SubDocumentStatus.NumberTooBig)]
    [InlineData("add-unique of an object", SubDocumentStatus.ValueCannotInsert)]
    [InlineData("value too deep", SubDocumentStatus.ValueTooDeep)]
    public async Task A_failing_spec_is_reported_by_index_and_nothing_is_changed(string failure, SubDocumentStatus status)
    {
        var key = await Seed($"sub::fail::{failure}");
        var before = await Client.GetAsync(key);
        MutateInSpec failing = failure switch
        {
            "insert existing" => MutateInSpec.Insert("name", "x"),
            "add-unique duplicate" => MutateInSpec.ArrayAddUnique("tags", "b"),
            "replace missing" => MutateInSpec.Replace("nope", 1),
            "remove missing" => MutateInSpec.Remove("nope"),
            "upsert without parents" => MutateInSpec.Upsert("no.such.parent", 1),
            "array op on a dictionary" => MutateInSpec.ArrayAppend("address", 1),
            "counter on a string" => MutateInSpec.Increment("name"),
            "counter on a huge number" => MutateInSpec.Increment("big"),
            "add-unique of an object" => MutateInSpec.ArrayAddUnique("tags", new { o = 1 }),
            _ => MutateInSpec.Upsert("deep", new JRaw(Nested(40))),
        };

        var result = await Client.MutateInAsync(key, [MutateInSpec.Upsert("touched", true), failing, MutateInSpec.Increment("logins")]);

        Assert.Equal(KvOutcome.PathFailure, result.Outcome);
        Assert.Equal(1, result.FailedIndex);
        Assert.Equal(failing.Path, result.FailedPath);
        Assert.Equal(status, result.FailedStatus);
        var after = await Client.GetAsync(key);
        Assert.Equal(before.Cas, after.Cas);
        Assert.Null((await Document(key))["touched"]);
    }

    [Fact]
    public async Task Store_semantics_create_or_refuse_the_document()
    {
        var created = await Client.MutateInAsync("sub::upsert", s => s.Upsert("a.b", 1),
            new MutateInOptions { StoreSemantics = StoreSemantics.Upsert, Expiry = TimeSpan.FromHours(1) });
        var inserted = await Client.MutateInAsync("sub::insert", s => s.ArrayAppend("list", 1),
            new MutateInOptions { StoreSemantics = StoreSemantics.Insert });
        var again = await Client.MutateInAsync("sub::insert", s => s.Upsert("x", 1),
            new MutateInOptions { StoreSemantics = StoreSemantics.Insert });

        Assert.Equal(KvOutcome.Success, created.Outcome);
        Assert.Equal(1, (await Document("sub::upsert"))["a"]!["b"]!.Value<int>());
        Assert.NotNull(Bucket.Get("sub::upsert")!.Expiry);
        Assert.Equal(KvOutcome.Success, inserted.Outcome);
        Assert.Equal(new[] { 1 }, (await Document("sub::insert"))["list"]!.Values<int>());
        Assert.Equal(KvOutcome.Exists, again.Outcome);
    }

    [Fact]
    public async Task A_stale_cas_is_a_cas_mismatch_and_the_current_one_applies()
    {
        var key = await Seed("sub::cas");
        var cas = (await Client.GetAsync(key)).Cas;
        await Client.MutateInAsync(key, s => s.Upsert("v", 1));

        var stale = await Client.MutateInAsync(key, s => s.Upsert("v", 2), new MutateInOptions { Cas = cas });
        var current = await Client.MutateInAsync(key, s => s.Upsert("v", 3), new MutateInOptions { Cas = (await Client.GetAsync(key)).Cas });

        Assert.Equal(KvOutcome.CasMismatch, stale.Outcome);
        Assert.Equal(KvOutcome.Success, current.Outcome);
        Assert.Equal(3, (await Document(key))["v"]!.Value<int>());
    }

    [Fact]
    public async Task A_locked_document_is_locked_for_mutations()
    {
        var key = await Seed("sub::locked");
        var locked = await Client.GetAndLockAsync(key, TimeSpan.FromSeconds(10));

        var refused = await Client.MutateInAsync(key, s => s.Upsert("v", 1));
        var withLock = await Client.MutateInAsync(key, s => s.Upsert("v", 1), new MutateInOptions { Cas = locked.Cas });

        Assert.Equal(KvOutcome.Locked, refused.Outcome);
        Assert.Equal(KvOutcome.Success, withLock.Outcome);
    }

    [Fact]
    public async Task Xattrs_are_written_and_read_beside_the_body_in_the_commands_order()
    {
        var key = await Seed("sub::xattr");

        var written = await Client.MutateInAsync(key, s => s.Upsert("seen", true).Upsert("meta.rev", "1-a", createPath: true, xattr: true));
        var read = await Client.LookupInAsync(key, s => s.Get("seen").Get("meta.rev", xattr: true).Exists("meta", xattr: true));

        Assert.Equal(KvOutcome.Success, written.Outcome);
        Assert.True(read.ContentAs<bool>(0));
        Assert.Equal("1-a", read.ContentAs<string>(1));
        Assert.True(read.Exists(2));
        Assert.Null((await Document(key))["meta"]); // an xattr is not in the body
    }

    [Fact]
    public async Task A_durable_mutate_in_is_answered_once_replicated()
    {
        var key = await Seed("sub::durable");

        var result = await Client.MutateInAsync(key, s => s.Increment("logins"), new MutateInOptions { PersistTo = 1, ReplicateTo = 1 });

        Assert.Equal(KvOutcome.Success, result.Outcome);
        Assert.Equal(6L, result.ContentAs<long>(0));
    }

    [Fact]
    public async Task The_actor_protocol_answers_a_lookup_in_told_to_the_supervisor()
    {
        var key = await Seed("sub::actor");

        var result = await Client.Supervisor.Ask<LookupInResult>(
            new Kv.LookupIn(key, [LookupInSpec.Count("address")]) { CorrelationId = "c-1" }, TimeSpan.FromSeconds(10));

        Assert.Equal(1, result.ContentAs<int>(0));
        Assert.Equal("c-1", result.CorrelationId);
    }

    [Fact]
    public async Task Preserving_the_expiry_needs_preserve_ttl_from_hello_and_without_it_nothing_is_sent()
    {
        // The in-process cluster does not acknowledge PreserveTtl (as servers before 7.0): refused as the SDKs do.
        var key = await Seed("sub::preserve");

        var e = await Assert.ThrowsAsync<KvFeatureNotAvailableException>(() =>
            Client.MutateInAsync(key, s => s.Upsert("v", 1), new MutateInOptions { PreserveExpiry = true }));
        var next = await Client.MutateInAsync(key, s => s.Upsert("w", 2));

        Assert.Contains("did not acknowledge PreserveTtl in HELLO", e.Message);
        Assert.Null((await Document(key))["v"]);
        Assert.Equal(KvOutcome.Success, next.Outcome); // the connection goes on
    }
}
