using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>The error map served by GET_ERROR_MAP (spec §2.7), with the attributes of spec §3.1.</summary>
internal static class ErrorMap
{
    private static readonly (int Code, string Name, string Desc, string[] Attrs)[] Entries =
    {
        (0x00, "SUCCESS", "Success", new[] { "success" }),
        (0x01, "KEY_ENOENT", "Not Found", new[] { "item-only" }),
        (0x02, "KEY_EEXISTS", "key already exists, or CAS mismatch", new[] { "item-only" }),
        (0x03, "E2BIG", "Value is too big", new[] { "item-only", "invalid-input" }),
        (0x04, "EINVAL", "Invalid packet", new[] { "internal", "invalid-input" }),
        (0x05, "NOT_STORED", "Not stored", new[] { "internal", "item-only" }),
        (0x06, "DELTA_BADVAL", "Existing document not a number", new[] { "item-only", "invalid-input" }),
        (0x07, "NOT_MY_VBUCKET", "Server does not own the vBucket", new[] { "fetch-config", "invalid-input" }),
        (0x08, "NO_BUCKET", "Not connected to a bucket", new[] { "conn-state-invalidated" }),
        (0x09, "LOCKED", "Requested resource is locked", new[] { "item-locked", "item-only", "retry-now" }),
        (0x0a, "DCP_STREAM_NOT_FOUND", "No DCP stream", new[] { "conn-state-invalidated", "dcp" }),
        (0x0b, "OPAQUE_NO_MATCH", "Opaque does not match", new[] { "conn-state-invalidated", "dcp" }),
        (0x0c, "EWOULDTHROTTLE", "Would be throttled", new[] { "temp", "retry-later", "rate-limit" }),
        (0x0d, "ECONFIG_ONLY", "Config-only bucket", new[] { "fetch-config", "retry-now" }),
        (0x0e, "NOT_LOCKED", "Document is not locked", new[] { "item-only" }),
        (0x0f, "CAS_VALUE_INVALID", "Invalid CAS value", new[] { "item-only" }),
        (0x1f, "AUTH_STALE", "Authentication stale", new[] { "conn-state-invalidated", "auth" }),
        (0x20, "AUTH_ERROR", "Authentication failed", new[] { "conn-state-invalidated", "auth" }),
        (0x21, "AUTH_CONTINUE", "Continue authentication", new[] { "special-handling" }),
        (0x22, "ERANGE", "Value out of range", new[] { "invalid-input" }),
        (0x23, "ROLLBACK", "DCP rollback", new[] { "dcp", "special-handling" }),
        (0x24, "EACCESS", "No access", new[] { "support" }),
        (0x25, "NOT_INITIALIZED", "Node not initialized", new[] { "conn-state-invalidated" }),
        (0x28, "EXPIRY_OVERFLOW", "Expiry overflow", new[] { "item-only", "system-constraint", "no-retry" }),
        (0x29, "LOCK_EXPIRY_OVERFLOW", "Lock expiry overflow", new[] { "item-only", "system-constraint", "no-retry" }),
        (0x30, "RATE_LIMITED_NETWORK_INGRESS", "Rate limited: ingress", new[] { "rate-limit" }),
        (0x31, "RATE_LIMITED_NETWORK_EGRESS", "Rate limited: egress", new[] { "rate-limit" }),
        (0x32, "RATE_LIMITED_MAX_CONNECTIONS", "Rate limited: connections", new[] { "rate-limit" }),
        (0x33, "RATE_LIMITED_MAX_COMMANDS", "Rate limited: commands", new[] { "rate-limit" }),
        (0x35, "BUCKET_SIZE_LIMIT_EXCEEDED", "Bucket size limit exceeded", new[] { "item-only", "system-constraint", "no-retry" }),
        (0x50, "BUCKET_PAUSED", "Bucket paused", new[] { "support" }),
        (0x51, "CANCELLED", "Cancelled", new[] { "item-only", "retry-now" }),
        (0x80, "UNKNOWN_FRAME_INFO", "Unknown frame info", new[] { "support" }),
        (0x81, "UNKNOWN_COMMAND", "Unknown command", new[] { "support" }),
        (0x82, "ENOMEM", "Out of memory", new[] { "temp", "retry-later" }),
        (0x83, "NOT_SUPPORTED", "Not supported", new[] { "support" }),
        (0x84, "EINTERNAL", "Internal error", new[] { "internal", "conn-state-invalidated" }),
        (0x85, "EBUSY", "System is busy", new[] { "temp", "retry-now" }),
        (0x86, "ETMPFAIL", "Temporary failure", new[] { "temp", "retry-now" }),
        (0x87, "XATTR_EINVAL", "Invalid xattr", new[] { "invalid-input" }),
        (0x88, "UNKNOWN_COLLECTION", "Unknown collection", new[] { "invalid-input" }),
        (0xa0, "DURABILITY_INVALID_LEVEL", "Invalid durability level", new[] { "invalid-input" }),
        (0xa1, "DURABILITY_IMPOSSIBLE", "Durability impossible", new[] { "item-only", "invalid-input" }),
        (0xa2, "SYNC_WRITE_IN_PROGRESS", "Sync write in progress", new[] { "item-only", "retry-later" }),
        (0xa3, "SYNC_WRITE_AMBIGUOUS", "Sync write ambiguous", new[] { "item-only" }),
        (0xa4, "SYNC_WRITE_RE_COMMIT_IN_PROGRESS", "Sync write re-commit in progress", new[] { "item-only", "retry-later" }),
    };

    private static readonly HashSet<string> V2Only = new() { "rate-limit", "system-constraint", "no-retry" };

    /// <summary>The map in format <paramref name="version"/> (1 or 2).</summary>
    public static string Json(int version)
    {
        var errors = new JObject();
        foreach (var (code, name, desc, attrs) in Entries)
        {
            var kept = version >= 2 ? attrs : attrs.Where(a => !V2Only.Contains(a)).ToArray();
            errors[code.ToString("x")] = new JObject { ["name"] = name, ["desc"] = desc, ["attrs"] = new JArray(kept) };
        }
        return new JObject { ["version"] = version, ["revision"] = 1, ["errors"] = errors }.ToString(Newtonsoft.Json.Formatting.None);
    }
}
