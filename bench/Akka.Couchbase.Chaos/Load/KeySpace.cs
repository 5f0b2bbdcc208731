using System.Globalization;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>
/// How the <c>--keys</c> key space is split: 1/8 append keys, 1/8 counter keys and 1/4 register keys, each owned by
/// one sender (its share in proportion to how many commands it keeps in flight), and the rest shared by every sender
/// ("m:i" documents and, an eighth of them, "mc:i" counters).
/// </summary>
internal sealed class KeySpace
{
    public KeySpace(int keys, int totalSlots)
    {
        AppendKeys = keys / 8;
        CounterKeys = keys / 8;
        RegisterKeys = keys / 4;
        var shared = keys - AppendKeys - CounterKeys - RegisterKeys;
        SharedCounters = Math.Max(1, shared / 8);
        SharedDocuments = Math.Max(1, shared - SharedCounters);
        TotalSlots = Math.Max(1, totalSlots);
        Mixed = Enumerable.Range(0, SharedDocuments).Select(i => "m:" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        MixedCounters = Enumerable.Range(0, SharedCounters).Select(i => "mc:" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    public int AppendKeys { get; }
    public int CounterKeys { get; }
    public int RegisterKeys { get; }
    public int SharedDocuments { get; }
    public int SharedCounters { get; }
    public int TotalSlots { get; }
    public string[] Mixed { get; }
    public string[] MixedCounters { get; }

    /// <summary>The regular expression matching the shared documents only (the keys a swallow fault may hit).</summary>
    public const string SharedDocumentPattern = "^m:";

    /// <summary>How many keys of a family of <paramref name="family"/> keys a sender with <paramref name="slots"/> gets.</summary>
    public int ShareOf(int family, int slots) => Math.Max(1, (int)Math.Round((double)family * slots / TotalSlots));
}
