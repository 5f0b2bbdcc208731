using Akka.Actor;
using Akka.Configuration;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Settings of view queries, from <c>akka.couchbase.views</c> (HOCON/reference.conf has every key, its default and
/// unit). <see cref="Endpoints"/> and the credentials can be overridden in code, for instance to query a
/// CouchDB-compatible server directly.
/// </summary>
public sealed record ViewSettings
{
    /// <summary>Time allowed until the response headers arrive (rows then flow as fast as the consumer pulls).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(75);
    /// <summary>Retries of temporary errors (300-302 during rebalance, 408, 409, 412, 416, 417, 5xx but a missing view) before the first row.</summary>
    public int MaxRetries { get; init; } = 5;
    /// <summary>First retry delay; it doubles each time (a 503's Retry-After wins).</summary>
    public TimeSpan RetryMinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Views base URLs to use instead of the cluster map's (e.g. <c>http://host:5984/db</c>).</summary>
    public IReadOnlyList<Uri>? Endpoints { get; init; }
    /// <summary>User for HTTP basic auth; null = the client's <c>akka.couchbase.username</c>.</summary>
    public string? Username { get; init; }
    /// <summary>Password for HTTP basic auth; null = the client's.</summary>
    public string? Password { get; init; }

    /// <summary>Reads <c>akka.couchbase.views</c> of the system (with the reference defaults).</summary>
    public static ViewSettings Create(ActorSystem system)
    {
        CouchbaseExtension.Get(system);
        return Create(system.Settings.Config.GetConfig("akka.couchbase.views"));
    }

    /// <summary>Reads a <c>views</c>-shaped section; missing keys take the reference defaults.</summary>
    public static ViewSettings Create(Config config)
    {
        var c = (config ?? Config.Empty).WithFallback(CouchbaseExtension.DefaultConfig.GetConfig("akka.couchbase.views"));
        var settings = new ViewSettings
        {
            Timeout = c.GetTimeSpan("timeout"),
            MaxRetries = c.GetInt("max-retries"),
            RetryMinBackoff = c.GetTimeSpan("retry-min-backoff"),
        };
        if (settings.Timeout <= TimeSpan.Zero) throw new ArgumentException($"akka.couchbase.views.timeout must be positive, was {settings.Timeout}");
        if (settings.MaxRetries < 0) throw new ArgumentException($"akka.couchbase.views.max-retries must not be negative, was {settings.MaxRetries}");
        if (settings.RetryMinBackoff <= TimeSpan.Zero)
            throw new ArgumentException($"akka.couchbase.views.retry-min-backoff must be positive, was {settings.RetryMinBackoff}");
        return settings;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ViewSettings(timeout={Timeout.TotalMilliseconds}ms, max-retries={MaxRetries}, user={Username ?? "<client's>"}, password={(Password is null ? "<client's>" : "<redacted>")})";
}
