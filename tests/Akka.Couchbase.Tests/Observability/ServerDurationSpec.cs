using Akka.Couchbase.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>The server duration of kv_engine's response framing extras: its encoding, and the in-process cluster's.</summary>
public sealed class ServerDurationSpec : ObservedClusterSpec
{
    private readonly SpanCapture _spans;

    public ServerDurationSpec(ITestOutputHelper output) : base("server-duration", output) => _spans = new SpanCapture("server-duration");

    protected override void AfterAll()
    {
        _spans.Dispose();
        base.AfterAll();
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(250.0)]
    [InlineData(12_345.0)]
    [InlineData(2_000_000.0)]
    public void The_variable_precision_encoding_keeps_a_duration_within_its_precision(double micros)
    {
        var decoded = ServerDuration.Decode(ServerDuration.Encode(micros));
        Assert.InRange(decoded, micros * 0.97 - 1, micros * 1.03 + 1);
    }

    [Fact]
    public void The_duration_is_found_among_other_frame_infos_and_malformed_extras_give_none()
    {
        // id 3 with 1 byte, then an escaped id (15 + 2) with an escaped length (15 + 1 = 16 bytes), then id 0 (2 bytes).
        var extras = new List<byte> { 0x31, 0xAA, 0xFF, 0x02, 0x01 };
        extras.AddRange(new byte[16]);
        var encoded = ServerDuration.Encode(1000);
        extras.AddRange(new byte[] { 0x02, (byte)(encoded >> 8), (byte)encoded });
        Assert.True(ServerDuration.TryRead(extras.ToArray(), out var micros));
        Assert.InRange(micros, 970, 1030);

        Assert.False(ServerDuration.TryRead(new byte[] { 0x02, 0x01 }, out _)); // cut short
        Assert.False(ServerDuration.TryRead(new byte[] { 0x31, 0x00 }, out _)); // no id 0
        Assert.False(ServerDuration.TryRead(ReadOnlySpan<byte>.Empty, out _));
    }

    [Fact]
    public async Task The_in_process_cluster_reports_its_own_time_and_the_span_carries_it()
    {
        await Client.UpsertAsync("timed", new string('v', 100_000));
        var span = Assert.Single(_spans.Named("upsert"));
        var server = Assert.IsType<double>(span.GetTagItem("couchbase.server_duration_us"));
        Assert.InRange(server, 0.1, span.Duration.TotalMicroseconds);
    }
}

/// <summary>With <c>server-duration = off</c> HELLO does not ask for Tracing, and responses say nothing of it.</summary>
public sealed class ServerDurationOffSpec : ObservedClusterSpec
{
    private readonly SpanCapture _spans;

    public ServerDurationOffSpec(ITestOutputHelper output)
        : base("server-duration-off", output, "observability.server-duration = off\n", nodes: 1) =>
        _spans = new SpanCapture("server-duration-off");

    protected override void AfterAll()
    {
        _spans.Dispose();
        base.AfterAll();
    }

    [Fact]
    public async Task Spans_have_no_server_duration()
    {
        await Client.UpsertAsync("untimed", "v");
        var span = Assert.Single(_spans.Named("upsert"));
        Assert.Null(span.GetTagItem("couchbase.server_duration_us"));
        Assert.Equal(1, span.GetTagItem("couchbase.attempts"));
    }
}
