using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Hosting.Tests;

/// <summary><see cref="CouchbaseOptions.PooledValues"/> and its minimum size are the <c>value-pooling</c> section.</summary>
public sealed class PooledValuesOptionsSpec
{
    private static ValuePoolingSettings Settings(CouchbaseOptions options) =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(options.ToHocon()).GetConfig("akka.couchbase")).ValuePooling;

    [Fact]
    public void Pooled_values_become_value_pooling_enabled_and_min_size()
    {
        var options = new CouchbaseOptions { PooledValues = true, PooledValuesMinSize = 65536 };
        Assert.Contains("value-pooling.enabled = on", options.ToHocon());
        Assert.Contains("value-pooling.min-size = 65536", options.ToHocon());
        var pooling = Settings(options);
        Assert.Equal((true, 65536), (pooling.Enabled, pooling.MinSize));
        Assert.False(Settings(new CouchbaseOptions { PooledValues = false, Hocon = "value-pooling.enabled = on" }).Enabled);
    }

    [Fact]
    public void Unset_they_keep_the_defaults()
    {
        Assert.DoesNotContain("value-pooling", new CouchbaseOptions().ToHocon());
        Assert.Equal(ValuePoolingSettings.Default, Settings(new CouchbaseOptions()));
    }

    [Fact]
    public void A_min_size_below_one_byte_is_refused_naming_its_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new CouchbaseOptions { PooledValuesMinSize = 0 }.ToHocon());
        Assert.StartsWith("akka.couchbase.value-pooling.min-size must be at least 1 byte", e.Message);
    }
}
