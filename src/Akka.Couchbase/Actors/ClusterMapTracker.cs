using Akka.Actor;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Actors;

/// <summary>Keeps the newest <see cref="ClusterMapChanged"/> of one supervisor (chosen by path) for its client.</summary>
internal sealed class ClusterMapTracker : ReceiveActor
{
    /// <summary>The shared, thread-safe view of the newest map.</summary>
    internal sealed class Holder
    {
        private readonly TaskCompletionSource<ClusterMapChanged> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile ClusterMapChanged? _current;

        public ClusterMapChanged? Current => _current;
        public Task<ClusterMapChanged> First => _first.Task;

        public void Update(ClusterMapChanged map)
        {
            var current = _current;
            if (current is not null && (current.Epoch, current.Revision).CompareTo((map.Epoch, map.Revision)) >= 0) return;
            _current = map;
            _first.TrySetResult(map);
        }
    }

    public ClusterMapTracker(ActorPath supervisor, Holder holder)
    {
        Receive<ClusterMapChanged>(m => m.Supervisor.Path.Equals(supervisor), holder.Update);
        ReceiveAny(_ => { });
    }

    public static Props Props(ActorPath supervisor, Holder holder) =>
        Akka.Actor.Props.Create(() => new ClusterMapTracker(supervisor, holder));
}
