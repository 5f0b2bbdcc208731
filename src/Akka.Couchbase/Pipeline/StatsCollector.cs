using Akka.Actor;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Collects the answers of one <see cref="Kv.Stats"/> from every node and sends one <see cref="Kv.StatsResult"/> when
/// the last node has answered (or failed). Node answers arrive on different connection threads: thread-safe.
/// </summary>
internal sealed class StatsCollector
{
    private readonly PartCollector<IReadOnlyDictionary<string, string>> _parts;

    public StatsCollector(int nodes, ReplyTarget replyTo, object? correlationId) =>
        _parts = new PartCollector<IReadOnlyDictionary<string, string>>(nodes, replyTo,
            (results, failures) => new Kv.StatsResult(results, failures, correlationId));

    /// <summary>The sink of one node's STAT request.</summary>
    public NodeSink For(string node) => new(this, node);

    private void Done(string node, IReadOnlyDictionary<string, string>? stats, CouchbaseException? failure)
    {
        if (failure is null) _parts.Succeeded(node, stats!);
        else _parts.Failed(node, failure);
    }

    /// <summary>
    /// One node's STAT: the server answers with one frame per statistic (key = name, value = value) and ends with a
    /// frame without a key; the connection hands the first ones to <see cref="Add"/> and the last one, or a failure,
    /// to <see cref="Deliver"/>. Used by that connection's thread only until it delivers.
    /// </summary>
    internal sealed class NodeSink : IInternalSink
    {
        private readonly StatsCollector _collector;
        private readonly string _node;
        private readonly Dictionary<string, string> _stats = new(StringComparer.Ordinal);

        public NodeSink(StatsCollector collector, string node)
        {
            _collector = collector;
            _node = node;
        }

        public void Add(in RawFrame frame)
        {
            _stats[System.Text.Encoding.UTF8.GetString(frame.Key)] = System.Text.Encoding.UTF8.GetString(frame.Value);
        }

        public void Deliver(KvRequest? request, object reply)
        {
            switch (reply)
            {
                case Frame { Status: KvStatus.Success }:
                    _collector.Done(_node, _stats, null);
                    break;
                case Frame frame when request is not null:
                    request.LastStatus = frame.Status;
                    _collector.Done(_node, null, new KvServerErrorException(
                        $"STAT '{request.Key}' on {_node} answered {frame.Status.Describe()}", request.Context(0, 0)));
                    break;
                case Status.Failure { Cause: CouchbaseException e }:
                    _collector.Done(_node, null, e);
                    break;
                default:
                    _collector.Done(_node, null, new CouchbaseException($"STAT on {_node}: unexpected {reply.GetType().Name}"));
                    break;
            }
        }
    }
}
