using System.Text;
using Akka.Couchbase.Routing;
using Xunit;

namespace Akka.Couchbase.Tests.Routing;

/// <summary>Parsing the terse bucket config (spec §5) and routing keys through it (spec §6).</summary>
public class ClusterConfigParsingTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void The_spec_example_parses_with_its_version_bucket_and_shape()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.ThreeNodes, "192.168.1.101");

        Assert.Equal(new ConfigVersion(1, 1342), config.Version);
        Assert.Equal("travel", config.BucketName);
        Assert.Equal("7f0b6c1d2e3a4b5c6d7e8f9012345678", config.BucketUuid);
        Assert.False(config.IsKetama);
        Assert.Equal(64, config.VBucketCount);
        Assert.Equal(1, config.NumReplicas);
        Assert.False(config.HasForwardMap);
        Assert.Contains("couchapi", config.BucketCapabilities);
        Assert.Equal(
            ["192.168.1.101:11210", "192.168.1.102:11210", "192.168.1.103:11210"],
            config.Nodes.Select(n => n.KvAddress));
    }

    [Fact]
    public void The_spec_example_nodes_carry_management_and_view_endpoints_and_their_tls_ports()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.ThreeNodes, "192.168.1.101");

        var second = config.Nodes[1];
        Assert.Equal(new NodeEndpoint("192.168.1.102", 11210, 8091, 8092,
            "http://192.168.1.102:8092/travel%2B7f0b6c1d2e3a4b5c6d7e8f9012345678")
        {
            KvTlsPort = 11207, MgmtTlsPort = 18091, ViewsTlsPort = 18092,
        }, second);
        Assert.Equal(11207, second.KvPortFor(tls: true));
        Assert.Equal(11210, second.KvPortFor(tls: false));
    }

    [Fact]
    public void Tls_ports_come_from_nodesExt_and_a_node_without_kvSSL_is_reached_at_11207_over_tls()
    {
        var json = ClusterMapSamples.ThreeNodes
            .Replace("\"kvSSL\": 11207, \"mgmt\": 8091, \"mgmtSSL\": 18091,\n                    \"capi\": 8092, \"capiSSL\": 18092 } },\n    { \"hostname\": \"192.168.1.103\"",
                "\"kvSSL\": 21207, \"mgmt\": 8091, \"mgmtSSL\": 28091,\n                    \"capi\": 8092, \"capiSSL\": 28092 } },\n    { \"hostname\": \"192.168.1.103\"")
            .Replace("\"kvSSL\": 11207, \"mgmt\": 8091, \"mgmtSSL\": 18091,\n                    \"capi\": 8092, \"capiSSL\": 18092 } }\n  ]",
                "\"mgmt\": 8091,\n                    \"capi\": 8092 } }\n  ]");

        var config = ClusterConfig.Parse(json, "192.168.1.101");

        Assert.Equal((21207, 28091, 28092), (config.Nodes[1].KvTlsPort, config.Nodes[1].MgmtTlsPort, config.Nodes[1].ViewsTlsPort));
        Assert.Null(config.Nodes[2].KvTlsPort);
        Assert.Equal(11207, config.Nodes[2].KvPortFor(tls: true));
        Assert.Equal("192.168.1.103:11210", config.Nodes[2].KvAddress); // identity stays the serverList entry
    }

    [Theory]
    [InlineData("foo", 51, "192.168.1.103", "192.168.1.102")]
    [InlineData("hello", 16, "192.168.1.101", "192.168.1.102")]
    [InlineData("user::1", 37, "192.168.1.102", "192.168.1.103")]
    public void Keys_route_to_the_active_and_replica_nodes_the_spec_lists(string key, int vBucket, string active, string replica)
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.ThreeNodes, "192.168.1.101");

        var node = config.NodeIndexForKey(Utf8(key), out var vb);

        Assert.Equal(vBucket, vb);
        Assert.Equal(active, config.Nodes[node].Host);
        Assert.Equal(node, config.ActiveNodeIndex(vb));
        Assert.Equal(replica, config.Nodes[config.ReplicaNodeIndex(vb, 1)].Host);
        Assert.Equal(node, config.NodeIndexForKey(key, out var vbFromString));
        Assert.Equal(vBucket, vbFromString);
    }

    [Fact]
    public void Out_of_range_vbuckets_and_replicas_have_no_node()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.ThreeNodes, "192.168.1.101");

        Assert.Equal(-1, config.ActiveNodeIndex(64));
        Assert.Equal(-1, config.ActiveNodeIndex(-1));
        Assert.Equal(-1, config.ReplicaNodeIndex(0, 0));
        Assert.Equal(-1, config.ReplicaNodeIndex(0, 2));
        Assert.Equal(-1, config.ForwardActiveNodeIndex(0));
    }

    [Fact]
    public void Dollar_host_is_replaced_everywhere_by_the_bootstrap_host()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.SingleNodeWithDollarHost, "10.1.2.3");

        Assert.Equal(new ConfigVersion(0, 17), config.Version);
        Assert.Equal(8, config.VBucketCount);
        var node = Assert.Single(config.Nodes);
        Assert.Equal(new NodeEndpoint("10.1.2.3", 11210, 8091, 8092, "http://10.1.2.3:8092/default%2B0a1b2c3d"), node);
        Assert.DoesNotContain("$HOST", config.RawJson);
        Assert.Contains("\"10.1.2.3:11210\"", config.RawJson);
    }

    [Fact]
    public void A_missing_replica_node_is_minus_one()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.SingleNodeWithDollarHost, "10.1.2.3");

        for (var vb = 0; vb < 8; vb++)
        {
            Assert.Equal(0, config.ActiveNodeIndex(vb));
            Assert.Equal(-1, config.ReplicaNodeIndex(vb, 1));
        }
        Assert.Equal(0, config.NodeIndexForKey(Utf8("foo"), out var fooVb));
        Assert.Equal(3187 % 8, fooVb);
    }

    [Fact]
    public void An_IPv6_bootstrap_host_is_bracketed_in_addresses_and_urls_but_not_in_Host()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.SingleNodeWithDollarHost, "fd00::7");

        var node = Assert.Single(config.Nodes);
        Assert.Equal("fd00::7", node.Host);
        Assert.Equal("[fd00::7]:11210", node.KvAddress);
        Assert.Equal("http://[fd00::7]:8092/default%2B0a1b2c3d", node.ViewsBaseUri);
        Assert.Equal(config.Nodes, ClusterConfig.Parse(ClusterMapSamples.SingleNodeWithDollarHost, "[fd00::7]").Nodes);
    }

    [Fact]
    public void A_ketama_config_routes_by_the_ring_with_vbucket_zero()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.Ketama, "192.168.1.101");

        Assert.True(config.IsKetama);
        Assert.Equal(new ConfigVersion(3, 5), config.Version);
        Assert.Equal(0, config.VBucketCount);
        Assert.Equal(0, config.NumReplicas);
        Assert.Equal(4, config.Nodes.Count);
        Assert.All(config.Nodes, n => Assert.Null(n.ViewsPort));

        Assert.Equal("192.168.1.103:11210", config.Nodes[config.NodeIndexForKey(Utf8("foo"), out var vb)].KvAddress);
        Assert.Equal(0, vb);
        Assert.Equal("192.168.1.102:11210", config.Nodes[config.NodeIndexForKey(Utf8("hello"), out _)].KvAddress);
        Assert.Equal("192.168.1.104:11210", config.Nodes[config.NodeIndexForKey(Utf8("user::1"), out _)].KvAddress);
        Assert.Equal(-1, config.ActiveNodeIndex(0));
    }

    [Fact]
    public void A_ketama_ring_is_built_after_dollar_host_substitution()
    {
        var json = ClusterMapSamples.Ketama.Replace("192.168.1.104", "$HOST");

        var config = ClusterConfig.Parse(json, "192.168.1.104");

        Assert.Equal("192.168.1.104:11210", config.Nodes[3].KvAddress);
        Assert.Equal("192.168.1.104:11210", config.Nodes[config.NodeIndexForKey(Utf8("user::1"), out _)].KvAddress);
    }

    [Fact]
    public void A_rebalance_map_exposes_the_forward_owner_and_ports_from_nodesExt()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.Rebalancing, "127.0.0.1");

        Assert.True(config.HasForwardMap);
        Assert.Equal(2, config.Nodes.Count);
        Assert.Equal(new NodeEndpoint("127.0.0.1", 12000, 9000, 9500, "http://127.0.0.1:9500/travel"), config.Nodes[0]);
        Assert.Equal(new NodeEndpoint("127.0.0.1", 12002, 9001, null, null), config.Nodes[1]);
        Assert.Equal(0, config.ActiveNodeIndex(2));
        Assert.Equal(1, config.ForwardActiveNodeIndex(2));
        Assert.Equal(0, config.ForwardActiveNodeIndex(1));
    }

    [Theory]
    [InlineData("rev")]
    [InlineData("name")]
    [InlineData("vBucketServerMap")]
    public void A_missing_required_field_is_a_FormatException_naming_it(string field)
    {
        var json = Newtonsoft.Json.Linq.JObject.Parse(ClusterMapSamples.ThreeNodes);
        json.Remove(field);

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json.ToString(), "h"));

        Assert.Contains($"'{field}'", ex.Message);
    }

    [Theory]
    [InlineData("numReplicas", "vBucketServerMap.numReplicas")]
    [InlineData("serverList", "vBucketServerMap.serverList")]
    [InlineData("vBucketMap", "vBucketServerMap.vBucketMap")]
    public void A_missing_server_map_field_is_a_FormatException_naming_it(string field, string path)
    {
        var json = Newtonsoft.Json.Linq.JObject.Parse(ClusterMapSamples.ThreeNodes);
        ((Newtonsoft.Json.Linq.JObject)json["vBucketServerMap"]!).Remove(field);

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json.ToString(), "h"));

        Assert.Contains($"'{path}'", ex.Message);
    }

    [Fact]
    public void A_map_entry_outside_the_server_list_is_refused()
    {
        var json = ClusterMapSamples.ThreeNodes.Replace("[0,1],[0,2],[0,1]", "[0,1],[0,3],[0,1]");

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

        Assert.Contains("'vBucketServerMap.vBucketMap[1][1]'", ex.Message);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_refused_with_its_name()
    {
        var json = ClusterMapSamples.ThreeNodes.Replace("\"rev\": 1342", "\"rev\": \"1342\"");

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

        Assert.Contains("'rev'", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"rev\": 1,")]
    [InlineData("[1,2,3]")]
    public void Text_that_is_not_a_JSON_object_is_a_FormatException(string json) =>
        Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

    [Fact]
    public void An_unknown_node_locator_is_refused()
    {
        var json = ClusterMapSamples.ThreeNodes.Replace("\"nodeLocator\": \"vbucket\"", "\"nodeLocator\": \"random\"");

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

        Assert.Contains("'nodeLocator'", ex.Message);
    }

    // Found by fuzzing: Newtonsoft holds an integer beyond 64 bits as a BigInteger, which Value<long>() cannot
    // convert (InvalidCastException), so such a number escaped the FormatException contract.
    [Theory]
    [InlineData("\"192.168.1.103\", \"services\": { \"kv\": 11210, \"mgmt\": 8091",
        "\"192.168.1.103\", \"services\": { \"kv\": 11210, \"mgmt\": -99999999999999999999999999999999999999999",
        "'nodesExt[2].services.mgmt'")]
    [InlineData("\"rev\": 5", "\"rev\": 18446744073709551616", "'rev'")]
    public void An_integer_beyond_64_bits_is_a_FormatException_naming_its_field(string from, string to, string field)
    {
        var json = ClusterMapSamples.Ketama.Replace(from, to);
        Assert.NotEqual(ClusterMapSamples.Ketama, json);

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void A_vbucket_map_entry_beyond_64_bits_is_outside_the_server_list()
    {
        var json = ClusterMapSamples.Rebalancing.Replace("\"vBucketMap\": [[0,1],", "\"vBucketMap\": [[0,18446744073709551616],");
        Assert.NotEqual(ClusterMapSamples.Rebalancing, json);

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

        Assert.Contains("'vBucketServerMap.vBucketMap[0][1]' is 18446744073709551616, outside serverList", ex.Message);
    }

    // Found by fuzzing: numReplicas was cast to int before its range was checked, so -4294967295 was read as 1.
    [Theory]
    [InlineData("-4294967295")]
    [InlineData("4294967297")]
    public void A_replica_count_beyond_32_bits_is_refused_not_truncated(string replicas)
    {
        var json = ClusterMapSamples.Rebalancing.Replace("\"numReplicas\": 1", $"\"numReplicas\": {replicas}");
        Assert.NotEqual(ClusterMapSamples.Rebalancing, json);

        var ex = Assert.Throws<FormatException>(() => ClusterConfig.Parse(json, "h"));

        Assert.Contains($"'vBucketServerMap.numReplicas' is {replicas}", ex.Message);
    }

    // Found while measuring how parse time grows with a map: every serverList entry scanned nodesExt and nodes
    // for its address, so n nodes cost n² (16 s for these 40,000 nodes, a map of under 3 MB; hours for one of
    // the 30 MiB a response may hold), all of it on the cluster supervisor's thread.
    [Fact]
    public void A_map_of_many_nodes_is_read_in_time_linear_in_its_size()
    {
        const int n = 40_000;
        var json = new StringBuilder("""{"rev":1,"name":"b","nodeLocator":"vbucket","nodesExt":[""");
        for (var i = n - 1; i >= 0; i--) // in the reverse order of serverList: found by address, not by position
            json.Append(i == n - 1 ? "" : ",").Append($$$"""{"hostname":"X{{{i}}}","services":{"kv":11210,"mgmt":{{{10_000 + i}}}}}""");
        json.Append("""],"vBucketServerMap":{"numReplicas":0,"serverList":[""");
        for (var i = 0; i < n; i++) json.Append(i == 0 ? "" : ",").Append($"\"x{i}:11210\"");
        json.Append("""],"vBucketMap":[[0]]}}""");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var config = ClusterConfig.Parse(json.ToString(), "h");
        watch.Stop();

        Assert.Equal(n, config.Nodes.Count);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(10_000 + i, config.Nodes[i].MgmtPort));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{n} nodes took {watch.Elapsed.TotalSeconds:F1} s");
    }
}
