using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Xunit;
using static Akka.Couchbase.Tests.SubDocument.SubDocumentFixtures;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// HELLO asks Couchbase buckets for Xattr, PreserveTtl and AltRequestSupport; a command that needs one the connection
/// did not get is refused before the wire (the node connection asks <see cref="SubDocumentGate"/>), clearly.
/// </summary>
public class SubDocumentFeaturesSpec
{
    private static readonly HashSet<HelloFeature> Everything =
        [HelloFeature.Xattr, HelloFeature.PreserveTtl, HelloFeature.AltRequestSupport, HelloFeature.Json];

    private static IReadOnlyList<HelloFeature> HelloOf(BucketType type)
    {
        var handshake = new Handshake(new HandshakeOptions("default", type, "", "", false, "agent"), "id", true, false);
        var hello = RequestFixturesDecode(handshake.Start()[0]);
        Assert.Equal(Opcode.Hello, hello.Opcode);
        return Hello.DecodeFeatures(hello.Value);
    }

    private static Frame RequestFixturesDecode(byte[] bytes) => Tests.Pipeline.RequestFixtures.Decode(bytes, 0, bytes.Length);

    [Fact]
    public void Hello_for_a_couchbase_bucket_asks_for_xattr_and_preserve_ttl()
    {
        var features = HelloOf(BucketType.Couchbase);

        Assert.Contains(HelloFeature.Xattr, features);
        Assert.Contains(HelloFeature.PreserveTtl, features);
        Assert.Contains(HelloFeature.AltRequestSupport, features);
    }

    [Fact]
    public void Hello_for_a_memcached_bucket_asks_for_no_sub_document_feature()
    {
        var features = HelloOf(BucketType.Memcached);

        Assert.DoesNotContain(HelloFeature.Xattr, features);
        Assert.DoesNotContain(HelloFeature.PreserveTtl, features);
    }

    [Fact]
    public void An_xattr_spec_on_a_connection_without_xattr_is_refused_naming_the_spec_and_node()
    {
        var request = Request(new Kv.LookupIn("doc", [LookupInSpec.Get("a"), LookupInSpec.Get("_sync", xattr: true)]));

        var reason = SubDocumentGate.Refusal(request, new HashSet<HelloFeature> { HelloFeature.Json }, "10.0.0.1:11210");

        Assert.Contains("spec 1 ('_sync') is on an xattr, but 10.0.0.1:11210 did not acknowledge Xattr in HELLO", reason);
        Assert.Null(SubDocumentGate.Refusal(request, Everything, "n"));
    }

    [Fact]
    public void Lookups_and_mutations_without_xattrs_need_nothing_more()
    {
        var none = new HashSet<HelloFeature>();

        Assert.Null(SubDocumentGate.Refusal(Request(new Kv.LookupIn("doc", [LookupInSpec.Get("a")])), none, "n"));
        Assert.Null(SubDocumentGate.Refusal(Request(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", 1)])), none, "n"));
        Assert.Null(SubDocumentGate.Refusal(Request(new Kv.Get("doc")), none, "n"));
    }

    [Fact]
    public void Preserving_the_expiry_without_preserve_ttl_is_refused_instead_of_silently_dropping_the_expiry()
    {
        var request = Request(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", 1)]) { PreserveExpiry = true });

        var reason = SubDocumentGate.Refusal(request, new HashSet<HelloFeature> { HelloFeature.Xattr, HelloFeature.AltRequestSupport }, "n");

        Assert.Contains("asks to preserve the document's expiry, but n did not acknowledge PreserveTtl", reason);
        Assert.Null(SubDocumentGate.Refusal(request, Everything, "n"));
    }
}
