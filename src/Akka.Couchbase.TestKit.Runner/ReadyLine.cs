using Akka.Couchbase.TestKit.Tls;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Runner;

/// <summary>The TLS part of the ready line: the plain connection string, the CA file, each node's TLS ports.</summary>
internal static class ReadyLine
{
    public static void AddTls(JObject ready, InProcessCluster cluster, string user)
    {
        ready["plainConnectionString"] = cluster.ConnectionString;
        var tls = new JObject
        {
            ["caPath"] = cluster.Tls.CaCertificatePath,
            ["clientCertificates"] = cluster.Tls.ClientCertificates switch
            {
                ClientCertificateMode.Enabled => "optional",
                ClientCertificateMode.Mandatory => "mandatory",
                _ => "disabled",
            },
        };
        if (cluster.Tls.ClientCertificates != ClientCertificateMode.Disabled)
        {
            var issued = cluster.Tls.IssueClientCertificate(user);
            tls["clientCertificate"] = new JObject
            {
                ["user"] = issued.User,
                ["certificatePath"] = issued.CertificatePath,
                ["privateKeyPath"] = issued.PrivateKeyPath,
                ["pkcs12Path"] = issued.Pkcs12Path,
                ["pkcs12Password"] = issued.Pkcs12Password,
            };
        }
        ready["tls"] = tls;
        foreach (var node in (JArray)ready["nodes"]!)
        {
            var n = cluster.Nodes[node.Value<int>("index")];
            node["kvTls"] = n.KvTlsPort;
            node["mgmtTls"] = n.MgmtTlsPort;
            node["viewsTls"] = n.ViewsTlsPort;
        }
    }
}
