using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Two different keys never name one document: a key that is not valid UTF-16 (a lone surrogate has no UTF-8
/// form, and a replacing encoder would send <c>"k\uD800"</c> and <c>"k\uDBFF"</c> as the same bytes) is refused
/// before the wire, on both bucket types, for every command that takes a key, with a message naming the key and the
/// bad character. Valid surrogate pairs (emoji) are keys like any other.
/// </summary>
public sealed class InvalidUtf16KeySpec : IClassFixture<InvalidUtf16KeySpec.Servers>
{
    public sealed class Servers : IAsyncLifetime
    {
        public MemcachedProcess Memcached { get; } = MemcachedProcess.Plain();
        public InProcessCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 2,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["app"] = "s3cret" },
        });

        public async Task DisposeAsync()
        {
            Memcached.Dispose();
            await Cluster.DisposeAsync();
        }
    }

    private readonly Servers _servers;
    private readonly ITestOutputHelper _output;

    public InvalidUtf16KeySpec(Servers servers, ITestOutputHelper output)
    {
        _servers = servers;
        _output = output;
    }

    public static TheoryData<string> BucketTypes => new() { "memcached", "couchbase" };

    private StandaloneClient Client(string bucketType) => bucketType == "memcached"
        ? new StandaloneClient($"servers = [\"{_servers.Memcached.Address}\"]\nbucket-type = memcached\n", _output)
        : new StandaloneClient(
            $"servers = [{string.Join(",", _servers.Cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}]\n" +
            "bucket = default\nusername = app\npassword = s3cret\n", _output);

    private static IEnumerable<Akka.Couchbase.Kv.KeyCommand> EveryCommandOn(string key, string bucketType)
    {
        yield return new Akka.Couchbase.Kv.Get(key);
        yield return new Akka.Couchbase.Kv.Upsert(key, "v");
        yield return new Akka.Couchbase.Kv.Insert(key, "v");
        yield return new Akka.Couchbase.Kv.Replace(key, "v");
        yield return new Akka.Couchbase.Kv.Append(key, "v");
        yield return new Akka.Couchbase.Kv.Prepend(key, "v");
        yield return new Akka.Couchbase.Kv.Remove(key);
        yield return new Akka.Couchbase.Kv.Increment(key) { Initial = 1 };
        yield return new Akka.Couchbase.Kv.Decrement(key) { Initial = 1 };
        yield return new Akka.Couchbase.Kv.Touch(key, TimeSpan.FromMinutes(1));
        yield return new Akka.Couchbase.Kv.GetAndTouch(key, TimeSpan.FromMinutes(1));
        if (bucketType == "couchbase")
        {
            yield return new Akka.Couchbase.Kv.GetAndLock(key, TimeSpan.FromSeconds(5));
            yield return new Akka.Couchbase.Kv.GetReplica(key) { Replica = 1 };
            yield return new Akka.Couchbase.Kv.Observe(key);
            yield return new Akka.Couchbase.Kv.Upsert(key, "v") { PersistTo = 1 };
        }
    }

    [Theory]
    [MemberData(nameof(BucketTypes))]
    public async Task Every_command_with_a_lone_surrogate_in_its_key_fails_before_the_wire(string bucketType)
    {
        using var spec = Client(bucketType);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        var probe = spec.Probe();
        foreach (var key in new[] { "k\uD800", "k\uDBFF", "\uDC00k", "a\uDFFFb", "x\uDC00\uD800" })
        foreach (var command in EveryCommandOn(key, bucketType))
        {
            spec.Supervisor.Tell(command with { CorrelationId = command.GetType().Name }, probe.Ref);
            var failure = await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
            var e = Assert.IsType<KvInvalidArgumentException>(failure.Cause);
            Assert.Equal(command.GetType().Name, e.CorrelationId);
            Assert.Contains("not valid UTF-16", e.Message);
            Assert.Contains(WireText.Printable(key), e.Message); // the key, with the bad character written as \uXXXX
        }
    }

    [Theory]
    [MemberData(nameof(BucketTypes))]
    public async Task Multi_commands_refuse_the_bad_key_and_run_the_others(string bucketType)
    {
        using var spec = Client(bucketType);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        await spec.Client.UpsertAsync("good-multi", "fine");
        var multi = await spec.Client.GetMultiAsync(new[] { "good-multi", "bad\uD800" });
        Assert.Equal("fine", multi.Results["good-multi"].ContentAs<string>());
        Assert.IsType<KvInvalidArgumentException>(multi.Failures["bad\uD800"]);
    }

    [Theory]
    [MemberData(nameof(BucketTypes))]
    public async Task Keys_that_differ_only_in_a_bad_surrogate_never_share_a_document(string bucketType)
    {
        using var spec = Client(bucketType);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        // The bytes a replacing encoder would have sent for both keys: "k" + U+FFFD.
        var collision = "k\uFFFD-" + bucketType;
        await spec.Client.UpsertAsync(collision, "untouched");
        await Assert.ThrowsAsync<KvInvalidArgumentException>(() => spec.Client.UpsertAsync("k\uD800-" + bucketType, "first"));
        await Assert.ThrowsAsync<KvInvalidArgumentException>(() => spec.Client.UpsertAsync("k\uDBFF-" + bucketType, "second"));
        Assert.Equal("untouched", await spec.Client.GetAsync<string>(collision));

        // Valid pairs are ordinary keys, and two different emoji stay two documents.
        await spec.Client.UpsertAsync("k\U0001F600", "grin");
        await spec.Client.UpsertAsync("k\U0001F601", "beam");
        Assert.Equal("grin", await spec.Client.GetAsync<string>("k\U0001F600"));
        Assert.Equal("beam", await spec.Client.GetAsync<string>("k\U0001F601"));
    }

    [Fact]
    public async Task A_stat_group_with_a_lone_surrogate_is_refused()
    {
        using var spec = Client("memcached");
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => spec.Client.StatsAsync("settings\uD800"));
        Assert.Contains("not valid UTF-16", e.Message);
    }

    [Theory]
    [InlineData("bucket = \"b\\uD800\"", "akka.couchbase.bucket")]
    [InlineData("username = \"u\\uDC00\"\npassword = p", "akka.couchbase.username")]
    [InlineData("username = u\npassword = \"p\\uD800\"", "akka.couchbase.password")]
    [InlineData("user-agent = \"agent\\uDBFF\"", "akka.couchbase.user-agent")]
    public void Settings_that_become_wire_bytes_must_be_valid_utf16(string hocon, string key)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            CouchbaseSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(hocon)));
        Assert.StartsWith(key + " ", e.Message);
        Assert.Contains("not valid UTF-16", e.Message);
        Assert.DoesNotContain("p\uD800", e.Message); // a password is never shown
    }

    // Escaped in the attributes: test data strings with lone surrogates do not survive the runner's serialisation.
    [Theory]
    [InlineData("plain", -1)]
    [InlineData("\\uD83D\\uDE00 pair", -1)]
    [InlineData("k\\uD800", 1)]
    [InlineData("\\uDC00", 0)]
    [InlineData("ab\\uDBFF\\uDBFF\\uDC00", 2)] // a high surrogate followed by a whole pair
    [InlineData("\\uD800\\uD800", 0)]
    [InlineData("\\uDE00\\uD83D", 0)] // a pair the wrong way round
    public void Lone_surrogates_are_found_where_they_are(string escaped, int index) =>
        Assert.Equal(index, WireText.FirstLoneSurrogate(System.Text.RegularExpressions.Regex.Unescape(escaped)));
}
