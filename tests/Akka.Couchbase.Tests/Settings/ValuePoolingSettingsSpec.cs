using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary><c>value-pooling</c>: off by default, 16 KiB when on, and a bad minimum size is refused naming its key.</summary>
public sealed class ValuePoolingSettingsSpec
{
    private static ValuePoolingSettings Parse(string hocon) =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(hocon)).ValuePooling;

    [Fact]
    public void It_is_off_by_default_with_a_minimum_of_16_KiB()
    {
        var pooling = Parse("");
        Assert.False(pooling.Enabled);
        Assert.Equal(16 * 1024, pooling.MinSize);
        Assert.Equal(ValuePoolingSettings.Default, pooling);
    }

    [Theory]
    [InlineData("value-pooling.enabled = on", true, 16384)]
    [InlineData("value-pooling { enabled = on, min-size = 64k }", true, 65536)]
    [InlineData("value-pooling { enabled = off, min-size = 100000 }", false, 100000)]
    [InlineData("value-pooling.min-size = 1", false, 1)]
    [InlineData("value-pooling.min-size = 1m", false, 1048576)]
    public void Enabled_and_min_size_are_read(string hocon, bool enabled, int minSize)
    {
        var pooling = Parse(hocon);
        Assert.Equal((enabled, minSize), (pooling.Enabled, pooling.MinSize));
    }

    [Theory]
    [InlineData("value-pooling.min-size = 0")]
    [InlineData("value-pooling.min-size = -1")]
    [InlineData("value-pooling.min-size = lots")]
    [InlineData("value-pooling.min-size = \"\"")]
    [InlineData("value-pooling.min-size = 4g")]
    public void A_bad_min_size_is_refused_naming_the_key(string hocon)
    {
        var e = Assert.Throws<ArgumentException>(() => Parse(hocon));
        Assert.StartsWith("akka.couchbase.value-pooling.min-size ", e.Message);
    }
}
