namespace Akka.Couchbase.Actors;

/// <summary>A command sent by the Task facade: the reply goes to <see cref="Sink"/> instead of an actor.</summary>
internal sealed record CommandEnvelope(Kv.ICommand Command, IReplySink Sink);
