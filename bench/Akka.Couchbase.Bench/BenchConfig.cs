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
              # No io.tcp section: the client's extension gives Akka.IO 64 KiB frames (Akka's default is 4k), so the
              # tool runs with what an application gets (HOCON/reference.conf, at its end).
              couchbase {
                servers = [{{servers}}]
                bucket-type = {{options.BucketType}}
                bucket = {{Quote(options.Bucket)}}
                username = {{Quote(options.Username)}}
                password = {{Quote(options.Password)}}
                value-pooling.enabled = {{(options.PooledValues ? "on" : "off")}}
                tls {
                  enabled = {{(options.Tls ? "on" : "off")}}
                  trusted-certificates = [{{(options.CaPath is null ? "" : Quote(options.CaPath))}}]
                }
              }
            }
            """;
        var config = ConfigurationFactory.ParseString(hocon);
        // --hocon: later ones win over earlier ones, and all over the settings above.
        foreach (var extra in options.Hocon) config = ConfigurationFactory.ParseString(extra).WithFallback(config);
        return config;
    }

    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
