using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Discovery;
using Akka.Couchbase.Routing;
using Akka.Event;

namespace Akka.Couchbase.Actors;

/// <summary>
/// DNS SRV discovery of the seeds (<c>docs/dns-srv.md</c>). The lookup runs off the actor's thread and answers
/// by message; the supervisor holds commands meanwhile as it does before any cluster map (the backlog, with its
/// deadlines). The first lookup decides the seeds bootstrap starts from; while no seed yields a map, a failed round
/// of seeds looks the record up again (at most once per <c>re-resolve-interval</c>), as the Java SDK does when every
/// node has failed, so that seeds moved in DNS are found without a restart.
/// </summary>
internal sealed partial class ClusterSupervisor
{
    /// <summary>A lookup's answer, for lookup <paramref name="Id"/>.</summary>
    private sealed record SrvLookedUp(int Id, SrvLookup Lookup) : INoSerializationVerificationNeeded;

    /// <summary>Lookup <paramref name="Id"/> has had its time.</summary>
    private sealed record SrvLookupTimedOut(int Id) : INoSerializationVerificationNeeded;

    private const string SrvTimerKey = "dns-srv";
    private int _srvLookups;
    /// <summary>The id of the lookup awaited; 0 when none is.</summary>
    private int _srvPending;
    private long _srvStarted;
    private bool _bootstrapStarted;

    /// <summary>Starts a lookup when the settings call for one and none is under way; false when none was started.</summary>
    private bool StartSrvLookup()
    {
        var dns = _settings.DnsSrv;
        if (!dns.LooksUp || _srvPending != 0) return false;
        var id = _srvPending = ++_srvLookups;
        _srvStarted = Stopwatch.GetTimestamp();
        SrvResolver.LookupAsync(dns).PipeTo(Self, success: lookup => new SrvLookedUp(id, lookup),
            failure: e => new SrvLookedUp(id, SrvLookup.Failed(dns.RecordName!, e.Message)));
        // The resolver keeps to the timeout itself; this timer makes sure the client goes on whatever it does.
        Timers.StartSingleTimer(SrvTimerKey, new SrvLookupTimedOut(id), dns.Timeout);
        return true;
    }

    private void OnSrvLookupTimedOut(SrvLookupTimedOut timedOut)
    {
        if (timedOut.Id != _srvPending) return;
        OnSrvLookedUp(new SrvLookedUp(timedOut.Id, SrvLookup.Failed(_settings.DnsSrv.RecordName!,
            $"no answer within {_settings.DnsSrv.Timeout.TotalMilliseconds:F0}ms")));
    }

    private void OnSrvLookedUp(SrvLookedUp looked)
    {
        if (looked.Id != _srvPending) return; // a late answer of a lookup that timed out
        _srvPending = 0;
        Timers.Cancel(SrvTimerKey);
        var lookup = looked.Lookup;
        var seeds = lookup.Targets.Select(t => t.Seed).ToList();
        if (!_bootstrapStarted)
        {
            if (lookup.Found)
            {
                _log.Info("DNS SRV {0}: seeds [{1}]", lookup.RecordName, Describe(lookup));
                _settings = _settings with { Servers = seeds };
            }
            else
            {
                _log.Info("DNS SRV {0} found no seeds ({1}); bootstrapping from [{2}]", lookup.RecordName, lookup.Failure,
                    string.Join(", ", _settings.Servers.Select(s => HostPort.Format(s.Host, s.Port))));
            }
            StartBootstrap();
            return;
        }
        if (_config is not null || _ketama is not null) return; // bootstrapped meanwhile
        if (!lookup.Found || seeds.SequenceEqual(_settings.Servers))
        {
            _log.Debug("DNS SRV {0} looked up again: {1}", lookup.RecordName,
                lookup.Found ? "the same seeds" : lookup.Failure);
            return;
        }
        _log.Info("DNS SRV {0} looked up again: new seeds [{1}] (were [{2}])", lookup.RecordName, Describe(lookup),
            string.Join(", ", _settings.Servers.Select(s => HostPort.Format(s.Host, s.Port))));
        _settings = _settings with { Servers = seeds };
        RestartBootstrapFromNewSeeds();
    }

    /// <summary>Bootstrap goes on from the new seeds: at once, from the first one, unless the seed in progress is one of them.</summary>
    private void RestartBootstrapFromNewSeeds()
    {
        if (_bootstrap is { } current)
        {
            var index = _settings.Servers.ToList().FindIndex(s =>
                string.Equals(HostPort.Format(s.Host, s.Port), current.Address, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                _seedCursor = index + 1;
                return;
            }
            current.Closing = true;
            current.Actor.Tell(NodeMessages.Close.Instance);
            _slotsByAddress.Remove(current.Address);
            _bootstrap = null;
        }
        Timers.Cancel("bootstrap");
        _seedCursor = 0;
        BootstrapNextSeed();
    }

    /// <summary>Every seed failed: looks the record up again, unless one is under way or the last was too recent.</summary>
    private void ReResolveSeeds()
    {
        var dns = _settings.DnsSrv;
        if (!dns.LooksUp || _srvPending != 0 || Stopwatch.GetElapsedTime(_srvStarted) < dns.ReResolveInterval) return;
        _log.Debug("DNS SRV {0}: every seed failed, looking it up again", dns.RecordName);
        StartSrvLookup();
    }

    /// <summary>For the messages of commands that found no node: the first lookup, while it is under way.</summary>
    private string? SrvLookupUnderWay() =>
        _srvPending != 0 && !_bootstrapStarted
            ? $"the DNS SRV lookup of {_settings.DnsSrv.RecordName} has not answered yet " +
              $"({Stopwatch.GetElapsedTime(_srvStarted).TotalMilliseconds:F0}ms)"
            : null;

    private static string Describe(SrvLookup lookup) =>
        string.Join(", ", lookup.Targets.Select(t => $"{HostPort.Format(t.Host, t.Port)} (priority {t.Priority}, weight {t.Weight})"));
}
