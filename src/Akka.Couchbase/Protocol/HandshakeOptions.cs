namespace Akka.Couchbase.Protocol;

/// <summary>What a <see cref="Handshake"/> needs to know of the client's settings, and nothing more.</summary>
/// <param name="Bucket">The bucket to select (Couchbase buckets) and to name in errors.</param>
/// <param name="BucketType">Couchbase buckets select a bucket, fetch a map and ask for pushed maps; memcached buckets do not.</param>
/// <param name="Username">RBAC user; empty for no authentication.</param>
/// <param name="Password">Its password.</param>
/// <param name="AllowPlainAuth">Whether SASL PLAIN may be used (it sends the password as it is).</param>
/// <param name="UserAgent">The agent name sent in HELLO.</param>
/// <param name="Tls">Whether the connection runs over TLS: SASL PLAIN is then allowed and preferred (the password
/// travels inside TLS), as the Couchbase SDKs do.</param>
/// <param name="CertificateAuth">The TLS handshake presented a client certificate and there is no password: the
/// node knows the user from the certificate, and no SASL is done (SDK bootstrapping, X.509 authentication).</param>
/// <param name="ServerDuration">HELLO asks for Tracing: responses then say how long the node worked on them.</param>
internal sealed record HandshakeOptions(
    string Bucket, BucketType BucketType, string Username, string Password, bool AllowPlainAuth, string UserAgent,
    bool Tls = false, bool CertificateAuth = false, bool ServerDuration = false)
{
    /// <summary>The handshake's part of <paramref name="settings"/>.</summary>
    public static HandshakeOptions From(CouchbaseSettings settings) => new(
        settings.Bucket, settings.BucketType, settings.Username, settings.Password, settings.AllowPlainAuth,
        settings.UserAgent, settings.Tls.Enabled, settings.UsesCertificateAuth, settings.Observability.ServerDuration);

    /// <summary>Whether the handshake authenticates with SASL: a user is named and no certificate stands for it.</summary>
    public bool UsesSasl => Username.Length > 0 && !CertificateAuth;

    /// <summary>Never shows the password.</summary>
    public override string ToString() =>
        $"HandshakeOptions(bucket={Bucket}, type={BucketType}, user={Username}, plain={AllowPlainAuth}, agent={UserAgent}, tls={Tls}, certificate-auth={CertificateAuth})";
}
