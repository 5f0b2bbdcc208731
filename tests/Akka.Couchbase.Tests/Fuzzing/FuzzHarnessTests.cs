using Xunit;

namespace Akka.Couchbase.Tests.Fuzzing;

/// <summary>The fuzz harness can fail: an exception outside a reader's contract, or an allocation, is seen.</summary>
public sealed class FuzzHarnessTests
{
    [Fact]
    public void An_exception_the_contract_does_not_name_fails_the_case()
    {
        var ex = Assert.Throws<Fuzz.UndocumentedException>(() =>
            Fuzz.OnlyDocumented(() => throw new InvalidCastException("boom"), e => e is FormatException));

        Assert.IsType<InvalidCastException>(ex.InnerException);
    }

    [Fact]
    public void An_exception_the_contract_names_is_a_refusal()
    {
        Assert.False(Fuzz.OnlyDocumented(() => throw new FormatException("bad"), e => e is FormatException));
        Assert.True(Fuzz.OnlyDocumented(() => { }, e => e is FormatException));
    }

    [Fact]
    public void An_allocation_is_measured()
    {
        byte[]? kept = null;

        var allocated = Fuzz.AllocatedBy(() => kept = new byte[1 << 20]);

        Assert.InRange(allocated, 1 << 20, 2 << 20);
        GC.KeepAlive(kept);
    }
}
