namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// Whether the TLS listeners ask for client certificates (Couchbase's X.509 authentication), as the server's
/// <c>clientCertAuth</c> setting: <c>disable</c>, <c>enable</c>, <c>mandatory</c>.
/// </summary>
public enum ClientCertificateMode
{
    /// <summary>No certificate is asked for; clients authenticate with SASL (KV) or Basic auth (REST).</summary>
    Disabled,

    /// <summary>
    /// A certificate is asked for but optional: a client that presents a valid one is authenticated as the user in its
    /// subject CN, a client without one authenticates as usual.
    /// </summary>
    Enabled,

    /// <summary>A client without a valid certificate is refused at the handshake.</summary>
    Mandatory,
}
