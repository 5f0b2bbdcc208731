using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>The example configurations shipped in HOCON/examples parse into valid settings.</summary>
public sealed class ExampleConfigsSpec
{
    private static string ExamplesDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Akka.Couchbase.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, $"no Akka.Couchbase.sln above {AppContext.BaseDirectory}");
        return Path.Combine(dir!.FullName, "HOCON", "examples");
    }

    /// <param name="password">The password the file sets, or null for one it leaves to the deployment (cluster.conf).</param>
    [Theory]
    [InlineData("single-node.conf", BucketType.Couchbase, 1, "password")]
    [InlineData("cluster.conf", BucketType.Couchbase, 3, null)]
    [InlineData("memcached-bucket.conf", BucketType.Memcached, 3, "secret")]
    public void Example_parses(string file, BucketType type, int servers, string? password)
    {
        var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(ExamplesDir(), file)));
        var settings = CouchbaseSettings.Create(config.GetConfig("akka.couchbase"));
        Assert.Equal(type, settings.BucketType);
        Assert.Equal(servers, settings.Servers.Count);
        Assert.NotEmpty(settings.Username);
        if (password is not null) Assert.Equal(password, settings.Password);
    }
}
