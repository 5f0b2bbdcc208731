namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// Which certificate the nodes present to new TLS connections (<see cref="ClusterTls.ServeCertificate"/>): the valid
/// one, or one a correct client must refuse.
/// </summary>
public enum CertificateKind
{
    /// <summary>Signed by the cluster CA, valid now, naming the node's host. What a node serves by default.</summary>
    Valid,

    /// <summary>Signed by the cluster CA and naming the node's host, but its validity ended yesterday.</summary>
    Expired,

    /// <summary>Signed by the cluster CA and naming the node's host, but valid only from tomorrow on.</summary>
    NotYetValid,

    /// <summary>Signed by the cluster CA and valid now, but naming another host (<c>wrong-host.invalid</c>).</summary>
    WrongHostName,

    /// <summary>Valid now and naming the node's host, but signed by a CA the cluster's clients do not trust.</summary>
    UntrustedIssuer,
}
