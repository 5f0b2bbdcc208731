using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// A client certificate issued by <see cref="ClusterTls.IssueClientCertificate"/> and the files that hold it, in the
/// forms clients load: PEM certificate and PEM private key (libcouchbase, the C++-core SDKs), PKCS#12 (.NET, Java).
/// The files live in the cluster's temporary directory and are deleted with the cluster.
/// </summary>
/// <param name="User">The user name written as the subject CN (Couchbase's default mapping: <c>subject.cn</c>).</param>
/// <param name="Certificate">The certificate with its private key.</param>
/// <param name="CertificatePath">PEM file of the certificate (<c>-----BEGIN CERTIFICATE-----</c>).</param>
/// <param name="PrivateKeyPath">PEM file of the private key, unencrypted PKCS#8 (<c>-----BEGIN PRIVATE KEY-----</c>).</param>
/// <param name="Pkcs12Path">PKCS#12 file holding the certificate and its key, protected by <paramref name="Pkcs12Password"/>.</param>
/// <param name="Pkcs12Password">The password of <paramref name="Pkcs12Path"/>.</param>
public sealed record ClientCertificateFiles(
    string User,
    X509Certificate2 Certificate,
    string CertificatePath,
    string PrivateKeyPath,
    string Pkcs12Path,
    string Pkcs12Password);
