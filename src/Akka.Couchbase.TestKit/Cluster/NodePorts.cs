namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>The ports a node binds (0 = ephemeral); the TLS ones are used only when the cluster runs with TLS.</summary>
internal readonly record struct NodePorts(int Kv, int Mgmt, int Views, int KvTls, int MgmtTls, int ViewsTls)
{
    /// <summary>The ports node <paramref name="index"/> gets from the options' bases (0 stays 0: ephemeral).</summary>
    public static NodePorts From(InProcessClusterOptions o, int index)
    {
        static int At(int portBase, int i) => portBase == 0 ? 0 : portBase + i;
        return new NodePorts(At(o.KvPortBase, index), At(o.MgmtPortBase, index), At(o.ViewsPortBase, index),
            At(o.KvTlsPortBase, index), At(o.MgmtTlsPortBase, index), At(o.ViewsTlsPortBase, index));
    }

    /// <summary>The ports <paramref name="node"/> listened on, to listen on them again after a restart.</summary>
    public static NodePorts Of(InProcessNode node) =>
        new(node.KvPort, node.MgmtPort, node.ViewsPort, node.KvTlsPort, node.MgmtTlsPort, node.ViewsTlsPort);
}
