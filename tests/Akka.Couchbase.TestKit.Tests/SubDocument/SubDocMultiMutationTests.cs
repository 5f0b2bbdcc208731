using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>MULTI_MUTATION (0xd1): all specs or none, the response layouts, whole-document specs, the request rules.</summary>
public sealed class SubDocMultiMutationTests : SubDocTestBase
{
    [Fact]
    public async Task A_successful_multi_mutation_applies_every_spec_and_answers_only_the_values()
    {
        await using var c = await ClientAsync("u:1234");
        await StoreAsync(c, "u:1234", """{"login_locations":["10.0.0.1"],"queue":"deleteme"}""");
        var r = await c.MutateAsync("u:1234", new Spec[]
        {
            new(SubDoc.ArrayAddUnique, "login_locations", "\"192.168.3.4\"", SubDoc.MkdirP),
            new(SubDoc.Counter, "login_count", "42", SubDoc.MkdirP),
            new(SubDoc.DictUpsert, "state", "\"logged_in\"", SubDoc.MkdirP),
            new(SubDoc.Delete, "queue"),
            new(SubDoc.Counter, "login_count", "-40"),
        });
        Assert.Equal(KvStatus.Success, r.Status);
        Assert.Equal(16, r.ExtrasLength);
        Assert.Equal(new[] { (1, KvStatus.Success, "42"), (4, KvStatus.Success, "2") }, SubDocClient.MutationResults(r));
        Assert.Equal("""{"login_locations":["10.0.0.1","192.168.3.4"],"login_count":2,"state":"logged_in"}""", await BodyAsync(c, "u:1234"));
        Assert.Equal(r.Cas, (await c.GetAsync("u:1234")).Cas);
    }

    [Fact]
    public async Task A_failing_spec_leaves_the_document_and_its_cas_untouched_and_names_itself()
    {
        await using var c = await ClientAsync("atomic");
        var cas = await StoreAsync(c, "atomic", """{"a":1,"list":[]}""");
        var r = await c.MutateAsync("atomic", new Spec[]
        {
            new(SubDoc.DictUpsert, "b", "2"),
            new(SubDoc.Counter, "a", "1"),
            new(SubDoc.DictAdd, "a", "3"), // exists
            new(SubDoc.DictUpsert, "c", "4"),
        });
        Assert.Equal(SubDoc.MultiPathFailure, r.Status);
        Assert.Equal(0, r.ExtrasLength);
        Assert.Equal((2, SubDoc.PathExists), SubDocClient.Failure(r));
        var get = await c.GetAsync("atomic");
        Assert.Equal(cas, get.Cas);
        Assert.Equal("""{"a":1,"list":[]}""", Value(get));
        var mismatch = await c.MutateAsync("atomic", new Spec[] { new(SubDoc.DictUpsert, "list.x", "1") });
        Assert.Equal((0, SubDoc.PathMismatch), SubDocClient.Failure(mismatch));
        Assert.Equal(cas, (await c.GetAsync("atomic")).Cas);
    }

    [Fact]
    public async Task Whole_document_set_and_delete_inside_a_multi_mutation()
    {
        await using var c = await ClientAsync("whole");
        var created = await c.MutateAsync("whole", new Spec[] { new(SubDoc.WholeSet, "", """{"fresh":true}"""), new(SubDoc.DictUpsert, "n", "1") },
            docFlags: SubDoc.Mkdoc);
        Assert.Equal(KvStatus.Success, created.Status);
        Assert.Equal("""{"fresh":true,"n":1}""", await BodyAsync(c, "whole"));
        var removed = await c.MutateAsync("whole", new Spec[] { new(SubDoc.WholeDelete, "") });
        Assert.Equal(KvStatus.Success, removed.Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("whole")).Status);
        // a body that is not JSON is stored as raw bytes; path specs after it find no JSON
        Assert.Equal(KvStatus.Success, (await c.MutateAsync("whole", new Spec[] { new(SubDoc.WholeSet, "", "not json") }, docFlags: SubDoc.Mkdoc)).Status);
        var raw = await c.GetAsync("whole");
        Assert.Equal("not json", Value(raw));
        Assert.Equal(DataType.Raw, raw.DataType);
        var failed = await c.MutateAsync("whole", new Spec[] { new(SubDoc.WholeSet, "", "still not json"), new(SubDoc.DictUpsert, "a", "1") });
        Assert.Equal((1, SubDoc.DocNotJson), SubDocClient.Failure(failed));
        Assert.Equal("not json", await BodyAsync(c, "whole"));
    }

    [Fact]
    public async Task Specs_are_checked_before_the_document_is_touched()
    {
        await using var c = await ClientAsync("rules");
        await StoreAsync(c, "rules", """{"a":1}""");
        Assert.Equal(SubDoc.InvalidCombo, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.Get, "a") })).Status);
        Assert.Equal(SubDoc.InvalidCombo, (await c.MutateAsync("rules", Array.Empty<Spec>())).Status);
        var seventeen = Enumerable.Range(0, 17).Select(i => new Spec(SubDoc.DictUpsert, "k" + i, "1")).ToArray();
        Assert.Equal(SubDoc.InvalidCombo, (await c.MutateAsync("rules", seventeen)).Status);
        Assert.Equal(KvStatus.Success, (await c.MutateAsync("rules", seventeen.Take(16))).Status);
        // a whole-document delete must be the last body spec
        Assert.Equal(SubDoc.InvalidCombo, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.WholeDelete, ""), new(SubDoc.DictUpsert, "b", "1") })).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.WholeSet, "x", "{}") })).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.DictUpsert, "", "1") })).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.Delete, "a", "1") })).Status);
        // doc flags must suit every spec: REPLACE does not take Mkdoc
        Assert.Equal(KvStatus.InvalidArguments, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.Replace, "a", "2") }, docFlags: SubDoc.Mkdoc)).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.MutateAsync(AbsentKeyBeside("rules"), new Spec[] { new(SubDoc.DictUpsert, "a", "1") })).Status);
        Assert.Equal(SubDoc.XattrInvalidFlagCombo, (await c.MutateAsync("rules", new Spec[] { new(SubDoc.DictUpsert, "a", "\"${Mutation.CAS}\"", SubDoc.ExpandMacros) })).Status);
        Assert.Equal("""{"a":1,"k0":1,"k1":1,"k2":1,"k3":1,"k4":1,"k5":1,"k6":1,"k7":1,"k8":1,"k9":1,"k10":1,"k11":1,"k12":1,"k13":1,"k14":1,"k15":1}""",
            await BodyAsync(c, "rules"));
    }

    [Fact]
    public async Task Multi_mutation_with_an_expiry_in_its_extras_sets_it()
    {
        await using var c = await ClientAsync("exp");
        await StoreAsync(c, "exp", "{}");
        var r = await c.MutateAsync("exp", new Spec[] { new(SubDoc.DictUpsert, "a", "1") }, expiry: 120);
        Assert.Equal(KvStatus.Success, r.Status);
        var expiry = Default.Get("exp")!.Expiry;
        Assert.NotNull(expiry);
        Cluster.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("exp")).Status);
    }
}
