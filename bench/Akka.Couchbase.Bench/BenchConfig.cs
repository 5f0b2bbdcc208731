using System.Globalization;
using Akka.Configuration;

namespace Akka.Couchbase.Bench;

/// <summary>The HOCON of the benchmark's actor system, from the command line.</summary>
internal static class BenchConfig
{
    public static Config For(BenchOptions options)
    {
        var servers = string.Join(", ", options.Servers.Select(Quote));
        var hocon = $$"""
            akka {
              loglevel = {{options.LogLevel}}
              stdout-loglevel = WARNING
              couchbase {
                servers = [{{servers}}]
                bucket-type = {{options.BucketType}}
                bucket = {{Quote(options.Bucket)}}
                username = {{Quote(options.Username)}}
                password = {{Quote(options.Password)}}
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }

    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
