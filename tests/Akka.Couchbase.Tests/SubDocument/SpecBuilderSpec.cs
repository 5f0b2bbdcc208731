using Xunit;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>The fluent builders make, in order, the specs the static factories make.</summary>
public class SpecBuilderSpec
{
    [Fact]
    public void The_lookup_builder_keeps_the_order_and_flags_given()
    {
        var specs = new LookupInSpecBuilder().Get("a.b").Exists("c", xattr: true).Count("tags").GetDocument().Build();

        Assert.Equal(
            [LookupInOperation.Get, LookupInOperation.Exists, LookupInOperation.Count, LookupInOperation.GetDocument],
            specs.Select(s => s.Operation));
        Assert.Equal(["a.b", "c", "tags", ""], specs.Select(s => s.Path));
        Assert.Equal([false, true, false, false], specs.Select(s => s.Xattr));
    }

    [Fact]
    public void The_mutation_builder_makes_what_the_factories_make()
    {
        var specs = new MutateInSpecBuilder()
            .Upsert("a.b", 1, createPath: true)
            .Insert("c", "x")
            .Replace("d", 2, xattr: true)
            .Remove("e")
            .ArrayAppend("tags", "x")
            .ArrayPrepend("tags", new[] { "y", "z" })
            .ArrayInsert("tags[1]", 3)
            .ArrayAddUnique("set", 4, createPath: true)
            .Increment("n", 5)
            .Decrement("m", 6)
            .Build();

        Assert.Equal(10, specs.Count);
        Assert.Equal(MutateInOperation.Upsert, specs[0].Operation);
        Assert.True(specs[0].CreatePath);
        Assert.Equal(new object?[] { 1 }, specs[0].Values);
        Assert.True(specs[2].Xattr);
        Assert.Empty(specs[3].Values);
        Assert.Equal(new object?[] { "y", "z" }, specs[5].Values);
        Assert.Equal(MutateInOperation.Counter, specs[8].Operation);
        Assert.Equal(5, specs[8].Delta);
        Assert.Equal(-6, specs[9].Delta);
    }

    [Fact]
    public void A_built_list_does_not_change_when_the_builder_goes_on()
    {
        var builder = new MutateInSpecBuilder().Remove("a");
        var first = builder.Build();

        builder.Remove("b");

        Assert.Single(first);
        Assert.Equal(2, builder.Build().Count);
    }
}
