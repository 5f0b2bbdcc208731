using Akka.Actor;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Collects the answers of one <see cref="Kv.Stats"/> from every node and sends one <see cref="Kv.StatsResult"/> when
/// the last node has answered (or failed). Node answers arrive on different connection threads: thread-safe.
/// </summary>
internal sealed class StatsCollector
{
    private readonly object _gate = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CouchbaseException> _failures = new(StringComparer.Ordinal);
    private readonly IActorRef? _replyTo;
    private readonly IReplySink? _sink;
    private readonly object? _correlationId;
    private int _remaining;

    public StatsCollector(int nodes, IActorRef? replyTo, IReplySink? sink, object? correlationId)
    {
        _remaining = nodes;
        _replyTo = replyTo;
        _sink = sink;
        _correlationId = correlationId;
        if (nodes == 0) Finish();
    }

    /// <summary>The sink of one node's STAT request.</summary>
    public NodeSink For(string node) => new(this, node);

    private void Done(string node, IReadOnlyDictionary<string, string>? stats, CouchbaseException? failure)
    {
        bool last;
        lock (_gate)
        {
            if (stats is not null) _nodes[node] = stats;
            else _failures[node] = failure!;
            last = --_remaining == 0;
        }
        if (last) Finish();
    }

    private void Finish()
    {
        var reply = new Kv.StatsResult(_nodes, _failures, _correlationId);
        Replies.Send(_replyTo, _sink, reply);
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
