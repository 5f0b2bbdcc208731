using System.Security.Cryptography;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>The cluster's RBAC users: passwords, plus a random salt per user for SCRAM.</summary>
internal sealed class Credentials
{
    private readonly Dictionary<string, (string Password, byte[] Salt)> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string Mech), byte[]> _salted = new();

    public Credentials(IReadOnlyDictionary<string, string> users, int iterations)
    {
        Iterations = iterations;
        foreach (var (user, password) in users) _users[user] = (password, RandomNumberGenerator.GetBytes(16));
    }

    public int Iterations { get; }

    public bool Check(string user, string password) =>
        _users.TryGetValue(user, out var u) && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(u.Password), System.Text.Encoding.UTF8.GetBytes(password));

    public bool Exists(string user) => _users.ContainsKey(user);

    public byte[] SaltOf(string user) => _users[user].Salt;

    public string PasswordOf(string user) => _users[user].Password;

    /// <summary>SaltedPassword for the user and mechanism, computed once (PBKDF2 is deliberately slow).</summary>
    public byte[] SaltedPassword(string user, string mechanism, Func<string, byte[], int, byte[]> derive)
    {
        lock (_salted)
        {
            if (_salted.TryGetValue((user, mechanism), out var cached)) return cached;
        }
        var (password, salt) = _users[user];
        var value = derive(password, salt, Iterations);
        lock (_salted) _salted[(user, mechanism)] = value;
        return value;
    }
}
