using Akka.Actor;
using Akka.Configuration;

namespace Akka.Couchbase;

/// <summary>
/// Immutable settings of one Couchbase client, read from <c>akka.couchbase</c> (see HOCON/reference.conf for every
/// key, its default and its unit). Create with <see cref="Create(ActorSystem)"/> or <see cref="Create(Config)"/>;
/// validation happens there, with a message naming the bad key. The password never appears in <see cref="ToString"/>.
/// </summary>
public sealed record CouchbaseSettings
{
    /// <summary>The HOCON path of the default client's section.</summary>
    public const string ConfigPath = "akka.couchbase";

    /// <summary>Seed nodes as (host, KV port).</summary>
    public IReadOnlyList<(string Host, int Port)> Servers { get; init; } = new[] { ("127.0.0.1", 11210) };
    /// <summary>Bucket name.</summary>
    public string Bucket { get; init; } = "default";
    /// <summary>Bucket type.</summary>
    public BucketType BucketType { get; init; } = BucketType.Couchbase;
    /// <summary>SASL user; empty means no authentication.</summary>
    public string Username { get; init; } = "";
    /// <summary>SASL password.</summary>
    public string Password { get; init; } = "";
    /// <summary>Whether SASL PLAIN may be used.</summary>
    public bool AllowPlainAuth { get; init; }
    /// <summary>HELLO user agent.</summary>
    public string UserAgent { get; init; } = "akka-couchbase";
    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Handshake timeout.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Default operation deadline.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMilliseconds(2500);
    /// <summary>How long a durable mutation's reply waits for its durability after the mutation was applied.</summary>
    public TimeSpan DurabilityTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Deadline sweep interval.</summary>
    public TimeSpan DeadlineCheckInterval { get; init; } = TimeSpan.FromMilliseconds(20);
    /// <summary>Written-but-unanswered limit per connection.</summary>
    public int MaxInFlightPerNode { get; init; } = 4096;
    /// <summary>Waiting-to-be-written limit per connection.</summary>
    public int MaxQueuePerNode { get; init; } = 16384;
    /// <summary>Limit of requests held for nodes that are not connected.</summary>
    public int MaxBacklog { get; init; } = 16384;
    /// <summary>Largest single write handed to Akka.IO.</summary>
    public int MaxWriteBatchBytes { get; init; } = 256 * 1024;
    /// <summary>Largest value sent.</summary>
    public int MaxValueSize { get; init; } = 20 * 1024 * 1024;
    /// <summary>Largest response body accepted.</summary>
    public int MaxResponseBody { get; init; } = 30 * 1024 * 1024;
    /// <summary>Reconnect backoff lower bound.</summary>
    public TimeSpan ReconnectMinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Reconnect backoff upper bound.</summary>
    public TimeSpan ReconnectMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long a connection must stay up before its loss counts as news: the reconnect backoff then starts over at
    /// <see cref="ReconnectMinBackoff"/>. A server that completes the handshake and breaks soon after is retried at a
    /// growing interval.
    /// </summary>
    public TimeSpan ReconnectResetAfter { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Reconnect jitter fraction.</summary>
    public double ReconnectJitter { get; init; } = 0.2;
    /// <summary>Cluster map poll interval; zero turns polling off.</summary>
    public TimeSpan ConfigPollInterval { get; init; } = TimeSpan.FromMilliseconds(2500);
    /// <summary>Whether the cluster map is streamed over HTTP when nodes do not serve it on the KV port.</summary>
    public bool HttpBootstrapEnabled { get; init; } = true;
    /// <summary>Cluster manager endpoints as (host, port); empty means the hosts of <see cref="Servers"/> with <see cref="HttpBootstrapPort"/>.</summary>
    public IReadOnlyList<(string Host, int Port)> HttpBootstrapServers { get; init; } = Array.Empty<(string, int)>();
    /// <summary>Cluster manager port used with the hosts of <see cref="Servers"/> (HOCON 0: 8091, or 18091 over TLS).</summary>
    public int HttpBootstrapPort { get; init; } = 8091;
    /// <summary>How often a healthy HTTP map stream is reopened; zero never.</summary>
    public TimeSpan HttpBootstrapReopenInterval { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>The cluster manager endpoints the client streams the map from: <see cref="HttpBootstrapServers"/>, or the seeds' hosts.</summary>
    public IReadOnlyList<(string Host, int Port)> HttpBootstrapEndpoints =>
        HttpBootstrapServers.Count > 0
            ? HttpBootstrapServers
            : Servers.Select(s => (s.Host, HttpBootstrapPort)).Distinct().ToList();
    /// <summary>TLS to the nodes (<c>tls</c>): off by default.</summary>
    public TlsSettings Tls { get; init; } = TlsSettings.Disabled;

    /// <summary>
    /// Whether the nodes authenticate the client by its TLS client certificate alone: a client certificate is given
    /// and the password is empty (no SASL is done; HTTP requests carry no Basic auth).
    /// </summary>
    public bool UsesCertificateAuth => Tls is { Enabled: true, ClientCertificate: not null } && Password.Length == 0;

    /// <summary>
    /// DNS SRV discovery of the seeds (<c>dns-srv</c>): when the connection string names one host that may be looked
    /// up, the records' targets replace <see cref="Servers"/> (which then hold the fallback, the host itself).
    /// </summary>
    public DnsSrvSettings DnsSrv { get; init; } = DnsSrvSettings.Default;

    /// <summary>Slow-operation and orphan reports, server durations (<c>observability</c>, docs/observability.md).</summary>
    public ObservabilitySettings Observability { get; init; } = ObservabilitySettings.Default;

    /// <summary>
    /// Pooled arrays for large Get values (<c>value-pooling</c>): off by default. When on, dispose each
    /// <see cref="GetResult"/> once done with its value (see <see cref="ValuePoolingSettings"/>).
    /// </summary>
    public ValuePoolingSettings ValuePooling { get; init; } = ValuePoolingSettings.Default;

    /// <summary>The scope of commands that name none (<c>default-scope</c>).</summary>
    public string DefaultScope { get; init; } = CollectionName.Default;
    /// <summary>The collection of commands that name none (<c>default-collection</c>).</summary>
    public string DefaultCollection { get; init; } = CollectionName.Default;
    /// <summary>How plain connections are made (<c>transport</c>): Akka.IO (the default) or a socket of the client's own. TLS connections always use the TLS transport.</summary>
    public KvTransport Transport { get; init; } = KvTransport.AkkaIo;
    /// <summary>Dispatcher of the client's actors.</summary>
    public string Dispatcher { get; init; } = "akka.actor.default-dispatcher";

    /// <summary>Reads <c>akka.couchbase</c> from the system's configuration (with the reference defaults).</summary>
    public static CouchbaseSettings Create(ActorSystem system)
    {
        CouchbaseExtension.InjectDefaults(system);
        return Create(system.Settings.Config.GetConfig(ConfigPath));
    }

    /// <summary>Reads the settings from a <c>akka.couchbase</c>-shaped section; missing keys take the reference defaults.</summary>
    public static CouchbaseSettings Create(Config config)
    {
        if (config is null) throw new ArgumentNullException(nameof(config));
        var c = config.WithFallback(CouchbaseExtension.DefaultConfig.GetConfig(ConfigPath));
        // A connection string stands for the servers, bucket, TLS and options it names, over the section's own keys.
        ConnectionString? parsed = null;
        if (c.GetString("connection-string") is { Length: > 0 } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            parsed = ConnectionString.Parse(connectionString);
            c = parsed.ToConfig().WithFallback(c);
        }
        var tls = TlsSettings.Read(c.GetConfig("tls"), $"{ConfigPath}.tls");
        // Typed reads of this section's keys, each failing with a message that names the key.
        TimeSpan Duration(string key) => HoconValues.Duration(c, key, Key(key));
        int Int(string key) => HoconValues.Int(c, key, Key(key));
        int Bytes(string key) => HoconValues.Bytes(c, key, Key(key));
        double Number(string key) => HoconValues.Number(c, key, Key(key));
        bool Switch(string key) => HoconValues.Switch(c, key, Key(key));
        return new CouchbaseSettings
        {
            // Over TLS a seed without a port is reached at Couchbase Server's TLS KV port.
            Servers = ParseServers(c.GetStringList("servers"), tls.Enabled ? 11207 : 11210),
            Bucket = NonEmpty(c.GetString("bucket"), "bucket"),
            BucketType = ParseBucketType(c.GetString("bucket-type")),
            Username = c.GetString("username") ?? "",
            Password = c.GetString("password") ?? "",
            AllowPlainAuth = Switch("allow-plain-auth"),
            UserAgent = c.GetString("user-agent") ?? "akka-couchbase",
            ConnectTimeout = Positive(Duration("connect-timeout"), "connect-timeout"),
            HandshakeTimeout = Positive(Duration("handshake-timeout"), "handshake-timeout"),
            OperationTimeout = Positive(Duration("operation-timeout"), "operation-timeout"),
            DurabilityTimeout = Positive(Duration("durability-timeout"), "durability-timeout"),
            DeadlineCheckInterval = Positive(Duration("deadline-check-interval"), "deadline-check-interval"),
            MaxInFlightPerNode = Positive(Int("max-in-flight-per-node"), "max-in-flight-per-node"),
            MaxQueuePerNode = NonNegative(Int("max-queue-per-node"), "max-queue-per-node"),
            MaxBacklog = NonNegative(Int("max-backlog"), "max-backlog"),
            MaxWriteBatchBytes = Positive(Bytes("max-write-batch-bytes"), "max-write-batch-bytes"),
            MaxValueSize = Positive(Bytes("max-value-size"), "max-value-size"),
            MaxResponseBody = Positive(Bytes("max-response-body"), "max-response-body"),
            ReconnectMinBackoff = Positive(Duration("reconnect-min-backoff"), "reconnect-min-backoff"),
            ReconnectMaxBackoff = Positive(Duration("reconnect-max-backoff"), "reconnect-max-backoff"),
            ReconnectJitter = Fraction(Number("reconnect-jitter"), "reconnect-jitter"),
            ReconnectResetAfter = NonNegative(Duration("reconnect-reset-after"), "reconnect-reset-after"),
            ConfigPollInterval = NonNegative(Duration("config-poll-interval"), "config-poll-interval"),
            HttpBootstrapEnabled = Switch("http-bootstrap.enabled"),
            HttpBootstrapPort = Int("http-bootstrap.port") is var httpPort && httpPort is 0 ? (tls.Enabled ? 18091 : 8091)
                : Port(httpPort, "http-bootstrap.port"),
            HttpBootstrapServers = ParseServers(c.GetStringList("http-bootstrap.servers"), tls.Enabled ? 18091 : 8091,
                "http-bootstrap.servers"),
            HttpBootstrapReopenInterval = NonNegative(Duration("http-bootstrap.reopen-interval"), "http-bootstrap.reopen-interval"),
            Tls = tls,
            DnsSrv = DnsSrvSettings.Read(c.GetConfig("dns-srv"), parsed?.SrvRecordName, $"{ConfigPath}.dns-srv"),
            Observability = ObservabilitySettings.Read(c.GetConfig("observability"), $"{ConfigPath}.observability"),
            ValuePooling = ValuePoolingSettings.Read(c.GetConfig("value-pooling"), $"{ConfigPath}.value-pooling"),
            DefaultScope = Collection(c.GetString("default-scope"), "default-scope"),
            DefaultCollection = Collection(c.GetString("default-collection"), "default-collection"),
            Transport = ParseTransport(c.GetString("transport")),
            Dispatcher = NonEmpty(c.GetString("use-dispatcher"), "use-dispatcher"),
        }.Validated();
    }

    /// <summary>Copy with other seed servers, given as "host" or "host:port".</summary>
    public CouchbaseSettings WithServers(params string[] servers) =>
        this with { Servers = ParseServers(servers, Tls.Enabled ? 11207 : 11210) };

    /// <summary>Checks cross-key rules; returns this.</summary>
    public CouchbaseSettings Validated()
    {
        if (Servers.Count == 0) throw Bad("servers", "must name at least one node");
        if (ReconnectMaxBackoff < ReconnectMinBackoff)
            throw Bad("reconnect-max-backoff", "must not be less than reconnect-min-backoff");
        if (MaxResponseBody < 1024) throw Bad("max-response-body", "must be at least 1024 bytes");
        if (Username.Length == 0 && Password.Length > 0) throw Bad("username", "is empty but a password is set");
        // Sent as UTF-8 on the wire (SELECT_BUCKET, SASL, HELLO): a lone surrogate has no UTF-8 form.
        foreach (var (key, value, shown) in new[]
                 {
                     ("bucket", Bucket, true), ("username", Username, true), ("password", Password, false),
                     ("user-agent", UserAgent, true),
                 })
            if (Protocol.WireText.Check(value, shown ? $"'{Protocol.WireText.Printable(value)}'" : "") is { } problem)
                throw Bad(key, problem);
        return this;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"CouchbaseSettings(servers=[{string.Join(", ", Servers.Select(s => $"{s.Host}:{s.Port}"))}], bucket={Bucket}, " +
        $"type={BucketType}, user={(Username.Length == 0 ? "<none>" : Username)}, password={(Password.Length == 0 ? "<none>" : "<redacted>")}, " +
        $"operation-timeout={OperationTimeout.TotalMilliseconds}ms{(Tls.Enabled ? ", tls=on" : "")}" +
        $"{(DnsSrv.LooksUp ? $", dns-srv={DnsSrv.RecordName}" : "")})";

    internal static IReadOnlyList<(string Host, int Port)> ParseServers(IEnumerable<string>? servers,
        int defaultPort = 11210, string key = "servers")
    {
        var list = new List<(string, int)>();
        foreach (var raw in servers ?? Array.Empty<string>())
        {
            var s = raw.Trim();
            if (s.StartsWith("couchbase://", StringComparison.OrdinalIgnoreCase)) s = s.Substring("couchbase://".Length);
            if (s.Length == 0) throw Bad(key, "contains an empty entry");
            string host; var port = defaultPort;
            if (s.StartsWith('['))
            {
                var close = s.IndexOf(']');
                if (close < 0) throw Bad(key, $"entry '{raw}' has an unclosed IPv6 bracket");
                host = s.Substring(1, close - 1);
                if (close + 1 < s.Length)
                {
                    if (s[close + 1] != ':' || !int.TryParse(s.AsSpan(close + 2), out port))
                        throw Bad(key, $"entry '{raw}' has a bad port");
                }
            }
            else
            {
                var colon = s.LastIndexOf(':');
                host = colon < 0 ? s : s.Substring(0, colon);
                if (colon >= 0 && !int.TryParse(s.AsSpan(colon + 1), out port))
                    throw Bad(key, $"entry '{raw}' has a bad port");
            }
            if (host.Length == 0) throw Bad(key, $"entry '{raw}' has no host");
            if (port is <= 0 or > 65535) throw Bad(key, $"entry '{raw}' has port {port}, outside 1..65535");
            list.Add((host, port));
        }
        return list;
    }

    private static BucketType ParseBucketType(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "couchbase" or null or "" => BucketType.Couchbase,
        "memcached" => BucketType.Memcached,
        _ => throw Bad("bucket-type", $"is '{value}'; expected \"couchbase\" or \"memcached\""),
    };

    private static KvTransport ParseTransport(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "akka-io" or null or "" => KvTransport.AkkaIo,
        "socket" => KvTransport.Socket,
        _ => throw Bad("transport", $"is '{value}'; expected \"akka-io\" or \"socket\""),
    };

    private static ArgumentException Bad(string key, string problem) =>
        new($"{Key(key)} {problem}");

    /// <summary>The full name of a key of the section, for messages.</summary>
    private static string Key(string key) => $"{ConfigPath}.{key}";

    private static string NonEmpty(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw Bad(key, "must not be empty") : value;

    private static TimeSpan Positive(TimeSpan value, string key) =>
        value > TimeSpan.Zero ? value : throw Bad(key, $"must be positive, was {value}");

    private static TimeSpan NonNegative(TimeSpan value, string key) =>
        value >= TimeSpan.Zero ? value : throw Bad(key, $"must not be negative, was {value}");

    private static int Positive(int value, string key) =>
        value > 0 ? value : throw Bad(key, $"must be positive, was {value}");

    private static string Collection(string? value, string key) =>
        CollectionName.Problem(value) is { } problem ? throw Bad(key, $"'{value}' is no scope or collection name: it {problem}") : value!;

    private static int Port(int value, string key) =>
        value is > 0 and <= 65535 ? value : throw Bad(key, $"must be a port number (1..65535), was {value}");

    private static int NonNegative(int value, string key) =>
        value >= 0 ? value : throw Bad(key, $"must not be negative, was {value}");

    private static double Fraction(double value, string key) =>
        value is >= 0 and <= 1 ? value : throw Bad(key, $"must be between 0 and 1, was {value}");
}
