namespace Akka.Couchbase.Hosting;

/// <summary>
/// The ActorRegistry key of the client's supervisor: inject <c>IRequiredActor&lt;CouchbaseSupervisor&gt;</c> and
/// Tell or Ask it <see cref="Kv"/> commands.
/// </summary>
public sealed class CouchbaseSupervisor
{
    private CouchbaseSupervisor() { }
}
