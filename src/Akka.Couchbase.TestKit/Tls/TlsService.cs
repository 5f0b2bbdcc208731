namespace Akka.Couchbase.TestKit.Tls;

/// <summary>The service a TLS listener serves, for counting its handshakes.</summary>
internal enum TlsService
{
    Kv,
    Mgmt,
    Views,
}
