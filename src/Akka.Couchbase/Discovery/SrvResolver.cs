using System.Globalization;
using DnsClient;
using DnsClient.Protocol;

namespace Akka.Couchbase.Discovery;

/// <summary>
/// Looks up one SRV record with DnsClient, off the caller's thread, within <see cref="DnsSrvSettings.Timeout"/> in
/// all. It never throws: whatever goes wrong (no such name, no records, no answer, no name server) is a
/// <see cref="SrvLookup"/> without targets that says why, and the caller goes on with its fallback.
/// </summary>
internal static class SrvResolver
{
    /// <summary>The lookup of <see cref="DnsSrvSettings.RecordName"/>; completes within about the timeout.</summary>
    public static Task<SrvLookup> LookupAsync(DnsSrvSettings dns)
    {
        var name = dns.RecordName ?? throw new ArgumentException("no SRV record to look up", nameof(dns));
        // Run from the thread pool: making a LookupClient reads the system's resolver configuration (a file), which
        // an actor's thread must not wait for.
        return Task.Run(() => LookupCoreAsync(name, dns));
    }

    private static async Task<SrvLookup> LookupCoreAsync(string name, DnsSrvSettings dns)
    {
        using var deadline = new CancellationTokenSource(dns.Timeout);
        try
        {
            var client = new LookupClient(Options(dns));
            var response = await client.QueryAsync(name, QueryType.SRV, QueryClass.IN, deadline.Token).ConfigureAwait(false);
            if (response.HasError)
                return SrvLookup.Failed(name, $"{response.ErrorMessage} (from {response.NameServer})");
            var targets = response.Answers.SrvRecords()
                .Select(r => new SrvTarget(r.Target.Value.TrimEnd('.'), r.Port, r.Priority, r.Weight))
                .Where(t => t.Host.Length > 0 && t.Port > 0) // target "." means "no such service here" (RFC 2782)
                .ToList();
            return targets.Count == 0
                ? SrvLookup.Failed(name, $"no SRV records (from {response.NameServer})")
                : SrvLookup.Of(name, SrvOrder.Sort(targets));
        }
        catch (OperationCanceledException)
        {
            return SrvLookup.Failed(name, $"no answer within {Ms(dns.Timeout)}");
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return SrvLookup.Failed(name, $"no answer within {Ms(dns.Timeout)}");
        }
        catch (Exception e)
        {
            // DnsResponseException (no name server reachable, a malformed answer), or no name server configured.
            return SrvLookup.Failed(name, e.Message);
        }
    }

    private static LookupClientOptions Options(DnsSrvSettings dns)
    {
        var options = dns.NameServerEndPoint is { } server ? new LookupClientOptions(server) : new LookupClientOptions();
        // Two tries per name server within the whole timeout (a lost UDP datagram is retried once); the deadline
        // above bounds the lookup whatever the number of name servers.
        options.Timeout = TimeSpan.FromTicks(Math.Max(dns.Timeout.Ticks / 2, TimeSpan.FromMilliseconds(1).Ticks));
        options.Retries = 1;
        options.UseCache = false; // a re-resolve must see the records as they are now
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false; // NXDOMAIN is an answer, not a reason to ask elsewhere
        options.ContinueOnEmptyResponse = false;
        options.UseTcpFallback = true; // a truncated answer (many records) is asked again over TCP
        return options;
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + "ms";
}
