using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Delivers rows to an actor in batches, each one acknowledged before the next is sent. While a batch waits for its
/// <see cref="ViewRowsAck"/>, the stage keeps pulling until it holds <c>maxBatch</c> rows, then backpressures; the
/// rows it holds go as the next batch as soon as the acknowledgement comes. When upstream ends, the rows held are
/// delivered first, then <see cref="ViewRowsCompleted"/> or <see cref="ViewRowsFailed"/>. The receiver is watched: if
/// it stops, the stream fails (and upstream is cancelled). The materialized task completes once the receiver was
/// told the end (completion or failure alike), and fails if it could not be told.
/// </summary>
internal sealed class ActorRowsSinkStage<T> : GraphStageWithMaterializedValue<SinkShape<T>, Task>
{
    private readonly IActorRef _receiver;
    private readonly int _maxBatch;
    private readonly Task<ViewMetadata>? _metadata;

    /// <param name="receiver">The actor.</param>
    /// <param name="maxBatch">The most rows in one batch (and held while a batch waits).</param>
    /// <param name="metadata">The view's metadata, for <see cref="ViewRowsCompleted"/>; null when there is none.</param>
    public ActorRowsSinkStage(IActorRef receiver, int maxBatch, Task<ViewMetadata>? metadata)
    {
        _receiver = receiver;
        _maxBatch = maxBatch;
        _metadata = metadata;
        Shape = new SinkShape<T>(In);
    }

    public Inlet<T> In { get; } = new("ViewRowsToActor.in");

    public override SinkShape<T> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("couchbaseViewRowsToActor");

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task>(new Logic(this, done), done.Task);
    }

    private sealed class Logic : InGraphStageLogic
    {
        private readonly ActorRowsSinkStage<T> _stage;
        private readonly TaskCompletionSource _done;
        private List<T> _held;
        private StageActor? _self;
        private bool _awaitingAck;
        private bool _upstreamDone;
        private bool _waitingForMetadata;
        private Exception? _failure;
        private long _batches;
        private long _delivered;

        public Logic(ActorRowsSinkStage<T> stage, TaskCompletionSource done) : base(stage.Shape)
        {
            _stage = stage;
            _done = done;
            _held = new List<T>(Math.Min(stage._maxBatch, 1024));
            SetHandler(stage.In, this);
        }

        public override void PreStart()
        {
            // The rows held and the last message still go after upstream has ended.
            SetKeepGoing(true);
            _self = GetStageActor(OnMessage);
            _self.Watch(_stage._receiver);
            Pull(_stage.In);
        }

        public override void OnPush()
        {
            _held.Add(Grab(_stage.In));
            if (!_awaitingAck) Send();
            if (_held.Count < _stage._maxBatch) Pull(_stage.In);
        }

        public override void OnUpstreamFinish()
        {
            _upstreamDone = true;
            TryFinish();
        }

        public override void OnUpstreamFailure(Exception e)
        {
            _upstreamDone = true;
            _failure = e;
            TryFinish();
        }

        public override void PostStop() =>
            _done.TrySetException(new AbruptStageTerminationException(this));

        private void OnMessage((IActorRef Sender, object Message) args)
        {
            switch (args.Message)
            {
                case ViewRowsAck when _awaitingAck:
                    _awaitingAck = false;
                    if (_upstreamDone)
                    {
                        TryFinish();
                        return;
                    }
                    if (_held.Count > 0) Send();
                    if (!HasBeenPulled(_stage.In)) Pull(_stage.In);
                    return;
                case Terminated t when t.ActorRef.Equals(_stage._receiver):
                    var e = new ViewQueryException(
                        $"the rows' receiver {_stage._receiver.Path} stopped after {_delivered} rows in {_batches} batches");
                    _done.TrySetException(e);
                    FailStage(e);
                    return;
            }
        }

        private void Send()
        {
            var batch = _held;
            _held = new List<T>(Math.Min(_stage._maxBatch, 1024));
            _batches++;
            _delivered += batch.Count;
            _awaitingAck = true;
            _stage._receiver.Tell(new ViewRowBatch<T>(batch, _batches), _self!.Ref);
        }

        private void TryFinish()
        {
            if (_awaitingAck || _waitingForMetadata) return;
            if (_held.Count > 0)
            {
                Send();
                return;
            }
            if (_failure is not null)
            {
                _stage._receiver.Tell(new ViewRowsFailed(_failure, _delivered, _batches), _self!.Ref);
                Finish();
                return;
            }
            if (_stage._metadata is { IsCompleted: false } pending)
            {
                // The source completes its metadata before it completes; the copy may still be on its way.
                _waitingForMetadata = true;
                var onMetadata = GetAsyncCallback(() =>
                {
                    _waitingForMetadata = false;
                    TryFinish();
                });
                pending.ContinueWith(_ => onMetadata(), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }
            var metadata = _stage._metadata is { IsCompletedSuccessfully: true } m ? m.Result : null;
            _stage._receiver.Tell(new ViewRowsCompleted(_delivered, _batches, metadata), _self!.Ref);
            Finish();
        }

        private void Finish()
        {
            _done.TrySetResult();
            CompleteStage();
        }
    }
}
