namespace Akka.Couchbase.Tests.Routing;

/// <summary>Cluster maps used by the routing tests.</summary>
internal static class ClusterMapSamples
{
    /// <summary>The example of spec §5.5: 3 nodes, 64 vBuckets, 1 replica, epoch 1, rev 1342.</summary>
    public const string ThreeNodes = """
{
  "rev": 1342,
  "revEpoch": 1,
  "name": "travel",
  "uuid": "7f0b6c1d2e3a4b5c6d7e8f9012345678",
  "nodeLocator": "vbucket",
  "uri": "/pools/default/buckets/travel?bucket_uuid=7f0b6c1d2e3a4b5c6d7e8f9012345678",
  "streamingUri": "/pools/default/bucketsStreaming/travel?bucket_uuid=7f0b6c1d2e3a4b5c6d7e8f9012345678",
  "bucketCapabilitiesVer": "",
  "bucketCapabilities": ["collections","durableWrite","couchapi","dcp","cbhello","touch","cccp","nodesExt","xattr"],
  "collectionsManifestUid": "0",
  "ddocs": { "uri": "/pools/default/buckets/travel/ddocs" },
  "nodes": [
    { "couchApiBase": "http://192.168.1.101:8092/travel%2B7f0b6c1d2e3a4b5c6d7e8f9012345678",
      "hostname": "192.168.1.101:8091", "ports": { "direct": 11210 } },
    { "couchApiBase": "http://192.168.1.102:8092/travel%2B7f0b6c1d2e3a4b5c6d7e8f9012345678",
      "hostname": "192.168.1.102:8091", "ports": { "direct": 11210 } },
    { "couchApiBase": "http://192.168.1.103:8092/travel%2B7f0b6c1d2e3a4b5c6d7e8f9012345678",
      "hostname": "192.168.1.103:8091", "ports": { "direct": 11210 } }
  ],
  "nodesExt": [
    { "hostname": "192.168.1.101", "thisNode": true,
      "services": { "kv": 11210, "kvSSL": 11207, "mgmt": 8091, "mgmtSSL": 18091,
                    "capi": 8092, "capiSSL": 18092, "n1ql": 8093, "n1qlSSL": 18093 } },
    { "hostname": "192.168.1.102",
      "services": { "kv": 11210, "kvSSL": 11207, "mgmt": 8091, "mgmtSSL": 18091,
                    "capi": 8092, "capiSSL": 18092 } },
    { "hostname": "192.168.1.103",
      "services": { "kv": 11210, "kvSSL": 11207, "mgmt": 8091, "mgmtSSL": 18091,
                    "capi": 8092, "capiSSL": 18092 } }
  ],
  "vBucketServerMap": {
    "hashAlgorithm": "CRC",
    "numReplicas": 1,
    "serverList": ["192.168.1.101:11210", "192.168.1.102:11210", "192.168.1.103:11210"],
    "vBucketMap": [
      [0,1],[0,2],[0,1],[0,2],[0,1],[0,2],[0,1],[0,2],
      [0,1],[0,2],[0,1],[0,2],[0,1],[0,2],[0,1],[0,2],
      [0,1],[0,2],[0,1],[0,2],[0,1],[0,2],[1,0],[1,2],
      [1,0],[1,2],[1,0],[1,2],[1,0],[1,2],[1,0],[1,2],
      [1,0],[1,2],[1,0],[1,2],[1,0],[1,2],[1,0],[1,2],
      [1,0],[1,2],[1,0],[2,1],[2,0],[2,1],[2,0],[2,1],
      [2,0],[2,1],[2,0],[2,1],[2,0],[2,1],[2,0],[2,1],
      [2,0],[2,1],[2,0],[2,1],[2,0],[2,1],[2,0],[2,1]
    ]
  },
  "clusterCapabilitiesVer": [1, 0],
  "clusterCapabilities": { "n1ql": ["enhancedPreparedStatements"] }
}
""";

    /// <summary>A single-node map as served over CCCP: <c>$HOST</c> everywhere, no hostname in nodesExt, no replica node, no revEpoch.</summary>
    public const string SingleNodeWithDollarHost = """
{
  "rev": 17,
  "name": "default",
  "uuid": "0a1b2c3d",
  "nodeLocator": "vbucket",
  "bucketCapabilities": ["couchapi", "cccp", "xattr"],
  "nodes": [
    { "couchApiBase": "http://$HOST:8092/default%2B0a1b2c3d", "hostname": "$HOST:8091", "ports": { "direct": 11210 } }
  ],
  "nodesExt": [
    { "thisNode": true, "services": { "kv": 11210, "mgmt": 8091, "capi": 8092 } }
  ],
  "vBucketServerMap": {
    "hashAlgorithm": "CRC",
    "numReplicas": 1,
    "serverList": ["$HOST:11210"],
    "vBucketMap": [[0,-1],[0,-1],[0,-1],[0,-1],[0,-1],[0,-1],[0,-1],[0,-1]]
  }
}
""";

    /// <summary>A memcached bucket: ketama locator, no vBucketServerMap, four nodes .101 to .104.</summary>
    public const string Ketama = """
{
  "rev": 5,
  "revEpoch": 3,
  "name": "cache",
  "nodeLocator": "ketama",
  "nodes": [
    { "hostname": "192.168.1.101:8091", "ports": { "direct": 11210 } },
    { "hostname": "192.168.1.102:8091", "ports": { "direct": 11210 } },
    { "hostname": "192.168.1.103:8091", "ports": { "direct": 11210 } },
    { "hostname": "192.168.1.104:8091", "ports": { "direct": 11210 } }
  ],
  "nodesExt": [
    { "hostname": "192.168.1.101", "services": { "kv": 11210, "mgmt": 8091 } },
    { "hostname": "192.168.1.102", "services": { "kv": 11210, "mgmt": 8091 } },
    { "hostname": "192.168.1.103", "services": { "kv": 11210, "mgmt": 8091 } },
    { "hostname": "192.168.1.104", "services": { "kv": 11210, "mgmt": 8091 } }
  ]
}
""";

    /// <summary>Two nodes on non-default ports during a rebalance (vBucketMapForward present), only nodesExt, no nodes array.</summary>
    public const string Rebalancing = """
{
  "rev": 40,
  "revEpoch": 2,
  "name": "travel",
  "nodeLocator": "vbucket",
  "nodesExt": [
    { "hostname": "127.0.0.1", "services": { "kv": 12000, "mgmt": 9000, "capi": 9500 } },
    { "hostname": "127.0.0.1", "services": { "kv": 12002, "mgmt": 9001 } },
    { "hostname": "127.0.0.1", "services": { "mgmt": 9002, "n1ql": 9499 } }
  ],
  "vBucketServerMap": {
    "hashAlgorithm": "CRC",
    "numReplicas": 1,
    "serverList": ["127.0.0.1:12000", "127.0.0.1:12002"],
    "vBucketMap": [[0,1],[0,1],[0,1],[0,1]],
    "vBucketMapForward": [[0,1],[0,1],[1,0],[1,0]]
  }
}
""";
}
