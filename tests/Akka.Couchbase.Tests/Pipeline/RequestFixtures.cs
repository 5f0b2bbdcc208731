using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Tests.Pipeline;

/// <summary>Requests made as the supervisor makes them, for the pipeline's unit tests (no actor, no socket).</summary>
internal static class RequestFixtures
{
    private static readonly RequestFactory Factory = new(
        CouchbaseSettings.Create(CouchbaseExtension.DefaultConfig.GetConfig(CouchbaseSettings.ConfigPath)), DefaultTranscoder.Instance);

    public static KvRequest Get(string key, TimeSpan? timeout = null) =>
        Factory.Create(new Kv.Get(key) { Timeout = timeout ?? TimeSpan.FromSeconds(10) }, default);

    public static KvRequest Upsert(string key, string value, TimeSpan? timeout = null) =>
        Factory.Create(new Kv.Upsert(key, value) { Timeout = timeout ?? TimeSpan.FromSeconds(10) }, default);

    /// <summary>The frame a request encodes to, decoded again.</summary>
    public static Frame Decode(byte[] buffer, int offset, int length)
    {
        var frames = new List<Frame>();
        new FrameDecoder(1 << 20).Feed(buffer.AsSpan(offset, length), frames);
        return Xunit.Assert.Single(frames);
    }
}
