namespace Akka.Couchbase.Protocol.Sasl;

/// <summary>Picks the SASL mechanism to use from those a server lists (spec §7.2).</summary>
internal static class SaslMechanismSelector
{
    /// <summary>The name of the PLAIN mechanism.</summary>
    public const string Plain = PlainSasl.MechanismName;

    /// <summary>
    /// The strongest SCRAM the server offers (SHA512, then SHA256, then SHA1); otherwise <c>PLAIN</c> if offered and
    /// <paramref name="allowPlain"/> (PLAIN sends the password in clear: allow it only over TLS or by explicit
    /// choice); otherwise null. With <paramref name="preferPlain"/> (over TLS), <c>PLAIN</c> comes first when offered
    /// and allowed. Names are matched case-insensitively and returned in their canonical spelling.
    /// </summary>
    public static string? Choose(IEnumerable<string> offered, bool allowPlain, bool preferPlain = false)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ScramMechanism? best = null;
        var plain = false;
        foreach (var name in offered)
        {
            var trimmed = name?.Trim();
            if (ScramMechanismExtensions.TryParse(trimmed, out var m))
            {
                if (best is null || m > best) best = m;
            }
            else if (string.Equals(trimmed, Plain, StringComparison.OrdinalIgnoreCase))
            {
                plain = true;
            }
        }
        if (plain && allowPlain && preferPlain) return Plain;
        if (best is { } scram) return scram.ServerName();
        return plain && allowPlain ? Plain : null;
    }

    /// <summary>Splits a SASL_LIST_MECHS reply value (names separated by spaces) into names.</summary>
    public static IReadOnlyList<string> ParseList(string mechanisms)
    {
        ArgumentNullException.ThrowIfNull(mechanisms);
        return mechanisms.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
