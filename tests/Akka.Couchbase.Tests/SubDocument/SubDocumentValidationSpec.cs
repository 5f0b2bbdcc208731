using Akka.Couchbase.Protocol.SubDocument;
using Xunit;
using static Akka.Couchbase.Tests.SubDocument.SubDocumentFixtures;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// What the server would certainly refuse is refused before the wire, by the request factory the supervisor uses,
/// with a <see cref="KvInvalidArgumentException"/> that names the spec's index and the problem.
/// </summary>
public class SubDocumentValidationSpec
{
    private static string Refused(Kv.KeyCommand command) =>
        Assert.Throws<KvInvalidArgumentException>(() => Request(command)).Message;

    private static Kv.LookupIn Lookup(params LookupInSpec[] specs) => new("doc", specs);

    [Fact]
    public void A_command_with_no_specs_or_more_than_sixteen_is_refused()
    {
        Assert.Contains("has no specs; it takes 1 to 16", Refused(Lookup()));
        Assert.Contains("has no specs", Refused(new Kv.MutateIn("doc", null!)));
        var seventeen = Enumerable.Range(0, 17).Select(i => MutateInSpec.Upsert($"f{i}", i)).ToArray();
        Assert.Contains("has 17 specs; the server takes at most 16", Refused(new Kv.MutateIn("doc", seventeen)));

        var sixteen = Enumerable.Range(0, 16).Select(i => LookupInSpec.Get($"f{i}")).ToArray();
        Assert.Equal(Akka.Couchbase.Protocol.Opcode.SubdocMultiLookup, Request(new Kv.LookupIn("doc", sixteen)).Opcode);
    }

    [Theory]
    [InlineData("a[1", "spec 1", "'[' at position 1 is not closed")]
    [InlineData("a]", "spec 1", "']' at position 1 closes no '['")]
    [InlineData("`a.b", "spec 1", "the backtick at position 0 is not closed")]
    [InlineData("a[[1]]", "spec 1", "'[' at position 2 opens inside the '[' at position 1")]
    [InlineData("a[x]", "spec 1", "'[x]' at position 1 is not an array index")]
    [InlineData("a[]", "spec 1", "'[]' at position 1 is not an array index")]
    public void A_malformed_path_is_refused_naming_the_spec_and_the_problem(string path, string spec, string problem)
    {
        var message = Refused(Lookup(LookupInSpec.Get("ok"), LookupInSpec.Exists(path)));

        Assert.Contains(spec, message);
        Assert.Contains(problem, message);
        Assert.Contains("Exists path", message);
    }

    [Fact]
    public void A_path_over_1024_utf8_bytes_is_refused_and_one_of_1024_is_sent()
    {
        var message = Refused(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", 1), MutateInSpec.Upsert(new string('é', 513), 1)]));
        Assert.Contains("spec 1", message);
        Assert.Contains("1026 UTF-8 bytes; the server's limit is 1024", message);

        Assert.Equal(4 + 1024, Request(Lookup(LookupInSpec.Get(new string('a', 1024)))).Value.Bytes.Length); // spec header + path
    }

    [Fact]
    public void An_empty_path_is_refused_where_the_server_needs_one()
    {
        Assert.Contains("spec 0: Get needs a path, and it is empty (GetDocument reads the whole document)", Refused(Lookup(LookupInSpec.Get(""))));
        Assert.Contains("spec 0: Exists needs a path", Refused(Lookup(LookupInSpec.Exists(""))));
        Assert.Contains("spec 0: Upsert needs a path", Refused(new Kv.MutateIn("doc", [MutateInSpec.Upsert("", 1)])));
        Assert.Contains("spec 0: Counter needs a path", Refused(new Kv.MutateIn("doc", [MutateInSpec.Increment("")])));
        Assert.Contains("spec 0: Get on an xattr needs the attribute's name", Refused(Lookup(LookupInSpec.Get("", xattr: true))));
        Assert.Contains("spec 0: Get has no path (null)", Refused(Lookup(LookupInSpec.Get(null!))));
    }

    [Fact]
    public void The_documents_own_example_paths_are_accepted()
    {
        string[] paths =
        [
            "type", "pDistributors", "pDistributors[0].dName", "pDistributors[1].dAdded[2]", "`dot.ted.field`.subfield",
            "`back``tick``field`", "`field.with.\"quotes\"`", "pDistributors[-1].dAdded[-1]",
        ];
        foreach (var path in paths) Assert.Null(SubDocumentPath.Problem(path));
        Assert.Equal(Akka.Couchbase.Protocol.Opcode.SubdocMultiLookup, Request(new Kv.LookupIn("doc", paths.Select(p => LookupInSpec.Get(p)).ToArray())).Opcode);
    }

    [Fact]
    public void A_counter_delta_of_zero_and_an_empty_value_are_refused()
    {
        Assert.Contains("spec 1: a counter's delta must not be 0",
            Refused(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", 1), MutateInSpec.Increment("n", 0)])));
        Assert.Contains("spec 0: Upsert has an empty value, which is not JSON",
            Refused(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", Array.Empty<byte>())])));
        Assert.Contains("spec 0: ArrayAppend needs a value",
            Refused(new Kv.MutateIn("doc", [MutateInSpec.ArrayAppend("a", Array.Empty<int>())])));
    }

    [Fact]
    public void Insert_semantics_with_a_cas_is_refused()
    {
        var message = Refused(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", 1)]) { StoreSemantics = StoreSemantics.Insert, Cas = 5 });

        Assert.Contains("StoreSemantics.Insert creates the document, so it cannot take a CAS", message);
    }

    [Fact]
    public void Memcached_buckets_refuse_sub_document_commands_before_the_wire()
    {
        var factory = Factory("memcached");

        var lookup = Assert.Throws<KvInvalidArgumentException>(() => factory.Create(Lookup(LookupInSpec.Get("a")), default));
        var mutate = Assert.Throws<KvInvalidArgumentException>(() => factory.Create(new Kv.MutateIn("doc", [MutateInSpec.Remove("a")]), default));

        Assert.Contains("LookupIn of key 'doc' refused: memcached buckets have no sub-document commands", lookup.Message);
        Assert.Contains("MutateIn of key 'doc' refused: memcached buckets have no sub-document commands", mutate.Message);
    }

    [Fact]
    public void A_value_too_large_for_the_configured_maximum_is_refused()
    {
        var big = new string('x', 21 * 1024 * 1024);

        Assert.Contains("akka.couchbase.max-value-size", Refused(new Kv.MutateIn("doc", [MutateInSpec.Upsert("a", big)])));
    }
}
