using System.Globalization;
using Akka.Configuration;
using Akka.Couchbase.TestKit;

namespace Akka.Couchbase.Chaos;

/// <summary>The HOCON of the harness's actor system: the client pointed at the in-process cluster.</summary>
internal static class ChaosConfig
{
    public const string Bucket = "default";
    public const string User = "chaos";
    public const string Password = "chaos-password";

    public static Config For(ChaosOptions options, InProcessCluster cluster)
    {
        var kv = string.Join(", ", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort.ToString(CultureInfo.InvariantCulture)}\""));
        var mgmt = string.Join(", ", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtPort.ToString(CultureInfo.InvariantCulture)}\""));
        var hocon = $$"""
            akka {
              loglevel = {{options.LogLevel}}
              stdout-loglevel = WARNING
              log-dead-letters = 5
              log-dead-letters-during-shutdown = off
              io.tcp {
                maximum-frame-size = 64k
                send-buffer-size = 128k
                receive-buffer-size = 128k
              }
              couchbase {
                servers = [{{kv}}]
                http-bootstrap.servers = [{{mgmt}}]
                bucket = {{Bucket}}
                username = {{User}}
                password = "{{Password}}"
                operation-timeout = {{options.TimeoutMs.ToString(CultureInfo.InvariantCulture)}}ms
                reconnect-min-backoff = 50ms
                reconnect-max-backoff = 1s
                transport = {{options.Transport}}
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }
}
