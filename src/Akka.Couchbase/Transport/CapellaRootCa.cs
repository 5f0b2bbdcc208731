using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.Transport;

/// <summary>
/// The root CA of Couchbase Capella's clusters (O=Couchbase, OU=Cloud; valid from 2019-12-06 to 2029-12-06), which
/// is not in any system trust store, so the Couchbase SDKs ship it and trust it besides the system store. It is
/// embedded in this assembly (<c>capella-root-ca.pem</c>, as libcouchbase 3.3 carries it) and trusted the same way
/// when <c>akka.couchbase.tls.trusted-certificates</c> is empty and <c>tls.trust-capella-root</c> is on.
/// </summary>
internal static class CapellaRootCa
{
    private static readonly Lazy<IReadOnlyList<X509Certificate2>> Loaded = new(Load);

    /// <summary>The certificate (one), loaded once.</summary>
    public static IReadOnlyList<X509Certificate2> Certificates => Loaded.Value;

    private static IReadOnlyList<X509Certificate2> Load()
    {
        using var stream = typeof(CapellaRootCa).Assembly.GetManifestResourceStream("Akka.Couchbase.capella-root-ca.pem")
                           ?? throw new InvalidOperationException("the Capella root CA resource is missing from Akka.Couchbase");
        using var reader = new StreamReader(stream);
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(reader.ReadToEnd());
        return collection.Cast<X509Certificate2>().ToArray();
    }
}
