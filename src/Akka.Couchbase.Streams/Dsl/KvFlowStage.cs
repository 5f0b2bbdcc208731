using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;
using Akka.Streams.Supervision;
using Decider = Akka.Streams.Supervision.Decider;
using Directive = Akka.Streams.Supervision.Directive;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>Makes the command for one element, with the correlation id the stage gives it.</summary>
internal delegate Kv.ICommand KvCommandFactory<in TIn>(TIn element, object correlationId);

/// <summary>
/// The KV stage behind every flow, sink and source of <see cref="CouchbaseFlow"/>: for each element it Tells one
/// command to the client's supervisor from its stage actor, and matches each reply (a result, or a
/// <see cref="Status.Failure"/> whose <see cref="CouchbaseException"/> carries the correlation id) back to its element.
/// <para>
/// A ring of <c>parallelism</c> slots is both the window of commands in flight and the reorder buffer: an element
/// takes the next slot when it arrives, its slot is its command's correlation id, and results leave from the ring's
/// head only, so they come out in the order the elements came in. A slot is free again once its result is pushed,
/// so a slow consumer holds at most <c>parallelism</c> commands in flight and answered results together, and the
/// stage pulls nothing more until it takes them. The client answers every command exactly once (its deadline at the
/// latest), so the stage needs no timer of its own: on upstream completion it completes once every slot is
/// answered and emitted; on failure or cancellation it stops at once, and the replies still coming go to its stopped
/// stage actor (dead letters).
/// </para>
/// </summary>
internal sealed class KvFlowStage<TIn, TReply> : GraphStage<FlowShape<TIn, CouchbaseResult<TReply, TIn>>>
    where TReply : class
{
    private readonly KvCommandFactory<TIn> _command;
    private readonly int _parallelism;
    private readonly Func<ActorSystem, IActorRef> _supervisor;
    private readonly bool _stopWithoutChoice;

    /// <param name="command">Makes each element's command; it must set the given correlation id.</param>
    /// <param name="parallelism">Commands in flight, and results held for a slow consumer, at most.</param>
    /// <param name="supervisor">The client's supervisor, from the materializer's actor system.</param>
    /// <param name="stopWithoutChoice">Whether a genuine failure stops the stage when the caller chose no supervision strategy (sinks).</param>
    public KvFlowStage(KvCommandFactory<TIn> command, int parallelism, Func<ActorSystem, IActorRef> supervisor,
        bool stopWithoutChoice)
    {
        _command = command;
        _parallelism = parallelism;
        _supervisor = supervisor;
        _stopWithoutChoice = stopWithoutChoice;
        Shape = new FlowShape<TIn, CouchbaseResult<TReply, TIn>>(In, Out);
    }

    public Inlet<TIn> In { get; } = new("CouchbaseKv.in");

    public Outlet<CouchbaseResult<TReply, TIn>> Out { get; } = new("CouchbaseKv.out");

    public override FlowShape<TIn, CouchbaseResult<TReply, TIn>> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("couchbaseKv");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, inheritedAttributes);

    /// <summary>One element's place in the ring; also its command's correlation id.</summary>
    private sealed class Slot
    {
        public Slot(Logic owner) => Owner = owner;

        public readonly Logic Owner;
        public TIn Element = default!;
        public Kv.ICommand? Command;
        public TReply? Reply;
        public CouchbaseException? Failure;
        /// <summary>Sent, not answered yet.</summary>
        public bool Pending;
        /// <summary>Answered, not emitted yet.</summary>
        public bool Answered;

        public void Clear()
        {
            Element = default!;
            Command = null;
            Reply = null;
            Failure = null;
            Pending = false;
            Answered = false;
        }
    }

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly KvFlowStage<TIn, TReply> _stage;
        private readonly Attributes _attributes;
        private readonly Slot[] _ring;
        private int _head;
        private int _count;
        private Decider _decider = Deciders.StoppingDecider;
        private Decider _operatorDecider = Deciders.StoppingDecider;
        private IActorRef _supervisor = ActorRefs.Nobody;
        private IActorRef _self = ActorRefs.Nobody;

        public Logic(KvFlowStage<TIn, TReply> stage, Attributes attributes) : base(stage.Shape)
        {
            _stage = stage;
            _attributes = attributes;
            _ring = new Slot[stage._parallelism];
            for (var i = 0; i < _ring.Length; i++) _ring[i] = new Slot(this);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _decider = KvSupervision.DeciderFor(_attributes, _stage._stopWithoutChoice);
            _operatorDecider = KvSupervision.OperatorDecider(_attributes);
            var system = (Materializer as ActorMaterializer)?.System
                ?? throw new InvalidOperationException("a Couchbase KV stage runs only in an ActorMaterializer (it needs its actor system)");
            _supervisor = _stage._supervisor(system);
            _self = GetStageActor(OnReply).Ref;
        }

        public override void OnPush()
        {
            var element = Grab(_stage.In);
            var slot = _ring[(_head + _count) % _ring.Length];
            Kv.ICommand command;
            try
            {
                command = _stage._command(element, slot);
            }
            catch (Exception e)
            {
                // The caller's function failed, not a command: the stream's decider as for any operator (Resume and
                // Restart drop the element).
                if (_operatorDecider(e) == Directive.Stop)
                {
                    FailStage(e);
                    return;
                }
                PullIfRoom();
                return;
            }
            slot.Element = element;
            slot.Command = command;
            slot.Pending = true;
            _count++;
            _supervisor.Tell(command, _self);
            PullIfRoom();
        }

        public override void OnUpstreamFinish()
        {
            if (_count == 0) CompleteStage();
            // Otherwise the last emission completes the stage.
        }

        public override void OnPull()
        {
            Emit();
            PullIfRoom();
        }

        private void OnReply((IActorRef Sender, object Message) envelope)
        {
            var message = envelope.Message;
            if (KvReplies.CorrelationIdOf(message) is not Slot { Pending: true } slot || slot.Owner != this)
            {
                Log.Warning("Couchbase KV stage: a reply that answers none of its commands was ignored: {0}", message);
                return;
            }
            slot.Pending = false;
            switch (message)
            {
                case Status.Failure { Cause: CouchbaseException failure }:
                    if (_decider(failure) == Directive.Stop)
                    {
                        FailStage(failure);
                        return;
                    }
                    if (_stage._stopWithoutChoice)
                        Log.Warning("Couchbase KV sink: {0} of key {1} failed and the stream goes on (supervision): {2}",
                            slot.Command!.GetType().Name, (slot.Command as Kv.KeyCommand)?.Key, failure.Message);
                    slot.Failure = failure;
                    break;
                case TReply reply: // after the failure: a flow may expect any reply (object)
                    slot.Reply = reply;
                    break;
                default:
                    FailStage(new InvalidOperationException(
                        $"{slot.Command!.GetType().Name} was answered with {message.GetType().Name}, not the {typeof(TReply).Name} this flow emits"));
                    return;
            }
            slot.Answered = true;
            if (slot == _ring[_head]) Emit();
        }

        /// <summary>Pushes the head's result if it is answered and wanted; completes when nothing is left to do.</summary>
        private void Emit()
        {
            if (_count == 0 || !IsAvailable(_stage.Out)) return;
            var head = _ring[_head];
            if (!head.Answered) return;
            var result = head.Failure is { } failure
                ? new CouchbaseResult<TReply, TIn>(head.Command!, failure, head.Element)
                : new CouchbaseResult<TReply, TIn>(head.Command!, head.Reply!, head.Element);
            head.Clear();
            _head = (_head + 1) % _ring.Length;
            _count--;
            Push(_stage.Out, result);
            if (_count == 0 && IsClosed(_stage.In)) CompleteStage();
            else PullIfRoom();
        }

        private void PullIfRoom()
        {
            if (_count < _ring.Length && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In)) Pull(_stage.In);
        }
    }
}
