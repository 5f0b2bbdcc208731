using Akka.Configuration;

namespace Akka.Couchbase;

/// <summary>
/// Reads one typed value of a settings section, failing with an <see cref="ArgumentException"/> that names the full
/// key, the value found and what was expected, where HOCON's own getters throw a bare <see cref="FormatException"/>.
/// </summary>
internal static class HoconValues
{
    /// <summary>A whole number.</summary>
    public static int Int(Config section, string key, string fullKey) =>
        Read(section, key, fullKey, "a whole number", static (c, k) => c.GetInt(k));

    /// <summary>A number.</summary>
    public static double Number(Config section, string key, string fullKey) =>
        Read(section, key, fullKey, "a number", static (c, k) => c.GetDouble(k));

    /// <summary>A duration (such as <c>2500ms</c> or <c>5s</c>).</summary>
    public static TimeSpan Duration(Config section, string key, string fullKey) =>
        Read(section, key, fullKey, "a duration (such as 2500ms or 5s)", static (c, k) => c.GetTimeSpan(k));

    /// <summary>on / off (or true / false, yes / no).</summary>
    public static bool Switch(Config section, string key, string fullKey, bool fallback = false) =>
        Read(section, key, fullKey, "on or off", (c, k) => c.GetBoolean(k, fallback));

    /// <summary>A size in bytes: a number, or a HOCON size (<c>64k</c> and <c>64KiB</c> are 65536 bytes, <c>1m</c> 1048576).</summary>
    public static int Bytes(Config section, string key, string fullKey)
    {
        var bytes = Read(section, key, fullKey, "a size in bytes (such as 65536 or 64k)", static (c, k) => c.GetByteSize(k));
        if (bytes is null)
            throw new ArgumentException($"{fullKey} must be a size in bytes (such as 65536 or 64k), was empty");
        if (bytes is < 0 or > int.MaxValue)
            throw new ArgumentException($"{fullKey} is {bytes} bytes; a size from 0 to {int.MaxValue} bytes is allowed");
        return (int)bytes.Value;
    }

    private static T Read<T>(Config section, string key, string fullKey, string expected, Func<Config, string, T> get)
    {
        try
        {
            return get(section, key);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ArgumentException($"{fullKey} is {Raw(section, key)}, not {expected}", e);
        }
    }

    private static string Raw(Config section, string key)
    {
        try
        {
            return $"'{section.GetString(key)}'";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "not a single value";
        }
    }
}
