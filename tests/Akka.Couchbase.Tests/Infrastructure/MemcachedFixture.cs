namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A class fixture of stock memcached processes (<see cref="MemcachedProcess"/>), started before the class's first
/// test and killed after its last: one plain memcached here, SASL or two servers in the variants below.
/// </summary>
public class MemcachedFixture : IDisposable
{
    private readonly MemcachedProcess[] _processes;

    public MemcachedFixture() : this(1, MemcachedProcess.Plain) { }

    /// <summary>Starts <paramref name="count"/> processes with <paramref name="start"/>; stops them all if one fails.</summary>
    protected MemcachedFixture(int count, Func<MemcachedProcess> start)
    {
        var started = new List<MemcachedProcess>(count);
        try
        {
            for (var i = 0; i < count; i++) started.Add(start());
        }
        catch
        {
            foreach (var process in started) process.Dispose();
            throw;
        }
        _processes = started.ToArray();
    }

    /// <summary>The first (or only) memcached.</summary>
    public MemcachedProcess Memcached => _processes[0];

    /// <summary>Every memcached of the fixture, in start order.</summary>
    public IReadOnlyList<MemcachedProcess> All => _processes;

    /// <summary>Their <c>host:port</c> addresses, for a <c>servers</c> list.</summary>
    public string[] Addresses => _processes.Select(p => p.Address).ToArray();

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>One memcached with SASL on (<c>-S</c>), knowing user <see cref="User"/> with password <see cref="Password"/>.</summary>
public sealed class SaslMemcachedFixture : MemcachedFixture
{
    public const string User = "user";
    public const string Password = "pencil";

    public SaslMemcachedFixture() : base(1, () => MemcachedProcess.WithSasl(User, Password)) { }
}

/// <summary>Two plain memcached servers, for a memcached bucket spread over two nodes.</summary>
public sealed class TwoMemcachedFixture : MemcachedFixture
{
    public TwoMemcachedFixture() : base(2, MemcachedProcess.Plain) { }
}
