using System.Globalization;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

internal static partial class SubJson
{
    /// <summary>
    /// COUNTER: adds a signed int64 delta (no leading zeros, not 0) to an integer, or creates it with the delta
    /// when missing; overflow is refused (kv_engine answers it as VALUE_CANTINSERT), a stored number outside int64
    /// is NUM_ERANGE.
    /// </summary>
    private static SubJsonResult Counter(JsonNode root, List<PathComponent> p, ReadOnlySpan<byte> value, bool mkdirP)
    {
        if (!TryParseDelta(Text(value), out var delta)) return SubDocStatus.DeltaInvalid;
        var m = PathMatch.Find(root, p);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (m.Kind == MatchKind.Complete)
        {
            if (m.Deepest is not JsonScalar { IsInteger: true } number) return SubDocStatus.PathMismatch;
            if (!long.TryParse(number.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var current))
                return SubDocStatus.NumberTooBig;
            if ((delta >= 0 && current >= 0 && long.MaxValue - delta < current)
                || (delta < 0 && current < 0 && delta < long.MinValue - current))
                return SubDocStatus.ValueCantInsert;
            var result = JsonScalar.Number(current + delta);
            if (m.Parent is JsonObject o) o.Members[m.Slot].Value = result;
            else ((JsonArray)m.Parent!).Items[m.Slot] = result;
            return new SubJsonResult(KvStatus.Success, result.Raw);
        }
        if (!mkdirP && !m.ImmediateParentFound(p.Count)) return SubDocStatus.PathNotFound;
        if (m.Deepest is not JsonObject) return SubDocStatus.PathNotFound;
        var created = JsonScalar.Number(delta);
        var stored = StoreDict(SubJsonCommand.DictAdd, root, p, created, mkdirP: true);
        return stored.Status == KvStatus.Success ? new SubJsonResult(KvStatus.Success, created.Raw) : stored;
    }

    private static bool TryParseDelta(string text, out long delta)
    {
        delta = 0;
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        if (digits.Length == 0 || digits[0] == '0') return false;
        foreach (var c in digits)
            if (c is < '0' or > '9') return false;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out delta) && delta != 0;
    }
}
