namespace Akka.Couchbase.Routing;

/// <summary>
/// The version of a cluster map: <c>(revEpoch, rev)</c>, compared epoch first, then revision (spec §8.2).
/// A map without <c>revEpoch</c> has epoch 0, older than any map that carries one. A map is applied only when
/// its version is strictly greater than the current one.
/// </summary>
/// <param name="Epoch">The <c>revEpoch</c> field, 0 when absent.</param>
/// <param name="Revision">The <c>rev</c> field.</param>
internal record struct ConfigVersion(long Epoch, long Revision) : IComparable<ConfigVersion>
{
    /// <summary>Lower than any real version; the version of "no map yet".</summary>
    public static ConfigVersion None => new(long.MinValue, long.MinValue);

    /// <inheritdoc />
    public int CompareTo(ConfigVersion other)
    {
        var c = Epoch.CompareTo(other.Epoch);
        return c != 0 ? c : Revision.CompareTo(other.Revision);
    }

    /// <summary>True when this version is strictly newer than <paramref name="other"/>.</summary>
    public bool IsNewerThan(ConfigVersion other) => CompareTo(other) > 0;

    /// <summary>Compares epoch, then revision.</summary>
    public static bool operator <(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) < 0;
    /// <summary>Compares epoch, then revision.</summary>
    public static bool operator >(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) > 0;
    /// <summary>Compares epoch, then revision.</summary>
    public static bool operator <=(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) <= 0;
    /// <summary>Compares epoch, then revision.</summary>
    public static bool operator >=(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => $"{Epoch}:{Revision}";
}
