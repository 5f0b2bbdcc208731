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
    /// <summary>
    /// Time one read of the response may wait for bytes once the headers arrived: a server that stalls for longer
    /// fails the stream with a <see cref="ViewQueryException"/> naming the view, the node and the rows read so far,
    /// and the connection is closed. Only reads the consumer asked for count, so a slow consumer never trips it.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(75);
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
            Timeout = HoconValues.Duration(c, "timeout", "akka.couchbase.views.timeout"),
            IdleTimeout = HoconValues.Duration(c, "idle-timeout", "akka.couchbase.views.idle-timeout"),
            MaxRetries = HoconValues.Int(c, "max-retries", "akka.couchbase.views.max-retries"),
            RetryMinBackoff = HoconValues.Duration(c, "retry-min-backoff", "akka.couchbase.views.retry-min-backoff"),
        };
        if (settings.Problem() is { } problem) throw new ArgumentException("akka.couchbase.views." + problem);
        return settings;
    }

    /// <summary>The first setting that cannot be used, as "key must ..., was ...", or null.</summary>
    internal string? Problem()
    {
        if (Timeout <= TimeSpan.Zero) return $"timeout must be positive, was {Timeout}";
        if (IdleTimeout <= TimeSpan.Zero) return $"idle-timeout must be positive, was {IdleTimeout}";
        if (MaxRetries < 0) return $"max-retries must not be negative, was {MaxRetries}";
        if (RetryMinBackoff <= TimeSpan.Zero) return $"retry-min-backoff must be positive, was {RetryMinBackoff}";
        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ViewSettings(timeout={Timeout.TotalMilliseconds}ms, idle-timeout={IdleTimeout.TotalMilliseconds}ms, max-retries={MaxRetries}, user={Username ?? "<client's>"}, password={(Password is null ? "<client's>" : "<redacted>")})";
}
