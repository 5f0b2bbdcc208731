using Akka.Actor;
using Akka.Event;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Answers commands that reached a stopped supervisor (they end in dead letters): a Task facade call faults, a Tell
/// or Ask sender gets a <see cref="Status.Failure"/>. So even a stopped client replies exactly once.
/// </summary>
internal sealed class UndeliveredCommands : ReceiveActor
{
    public UndeliveredCommands(ActorPath supervisor)
    {
        Receive<DeadLetter>(d => d.Recipient.Path.Equals(supervisor), d =>
        {
            switch (d.Message)
            {
                case TaskSink sink:
                    sink.Deliver(null, Failure(sink.Command));
                    break;
                case Kv.ICommand command when !d.Sender.IsNobody() && !d.Sender.Equals(Context.System.DeadLetters):
                    d.Sender.Tell(Failure(command), ActorRefs.NoSender);
                    break;
            }
        });
        ReceiveAny(_ => { });
    }

    private static Status.Failure Failure(Kv.ICommand command) => new(new KvNodeUnavailableException(
        $"{command.GetType().Name} not sent: the Couchbase client (its supervisor actor) is stopped", correlationId: command.CorrelationId));

    public static Props Props(ActorPath supervisor) => Akka.Actor.Props.Create(() => new UndeliveredCommands(supervisor));
}
