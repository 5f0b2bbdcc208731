namespace Akka.Couchbase.Protocol;

/// <summary>MCBP response status codes (spec §3.1). Codes not named here keep their numeric value.</summary>
public enum KvStatus : ushort
{
    /// <summary>OK.</summary>
    Success = 0x00,
    /// <summary>Document not found.</summary>
    KeyNotFound = 0x01,
    /// <summary>Document exists (ADD) or CAS mismatch.</summary>
    KeyExists = 0x02,
    /// <summary>Value too large.</summary>
    ValueTooLarge = 0x03,
    /// <summary>Malformed or invalid request.</summary>
    InvalidArguments = 0x04,
    /// <summary>Not stored (APPEND/PREPEND on a missing document).</summary>
    NotStored = 0x05,
    /// <summary>INCR/DECR on a non-numeric value.</summary>
    DeltaBadValue = 0x06,
    /// <summary>This node does not own the vBucket.</summary>
    NotMyVBucket = 0x07,
    /// <summary>No bucket selected.</summary>
    NoBucket = 0x08,
    /// <summary>Document locked.</summary>
    Locked = 0x09,
    /// <summary>Would be throttled.</summary>
    WouldThrottle = 0x0c,
    /// <summary>Bucket is config-only on this node.</summary>
    ConfigOnly = 0x0d,
    /// <summary>UNLOCK on a document that is not locked.</summary>
    NotLocked = 0x0e,
    /// <summary>Bad CAS value.</summary>
    CasValueInvalid = 0x0f,
    /// <summary>Credentials expired.</summary>
    AuthStale = 0x1f,
    /// <summary>Authentication failed.</summary>
    AuthError = 0x20,
    /// <summary>SASL: send the next step.</summary>
    AuthContinue = 0x21,
    /// <summary>Value outside the legal range.</summary>
    OutOfRange = 0x22,
    /// <summary>DCP rollback.</summary>
    Rollback = 0x23,
    /// <summary>No access.</summary>
    NoAccess = 0x24,
    /// <summary>Node still initialising.</summary>
    NotInitialized = 0x25,
    /// <summary>Rate limited: network ingress.</summary>
    RateLimitedNetworkIngress = 0x30,
    /// <summary>Rate limited: network egress.</summary>
    RateLimitedNetworkEgress = 0x31,
    /// <summary>Rate limited: max connections.</summary>
    RateLimitedMaxConnections = 0x32,
    /// <summary>Rate limited: max commands.</summary>
    RateLimitedMaxCommands = 0x33,
    /// <summary>Unknown frame info.</summary>
    UnknownFrameInfo = 0x80,
    /// <summary>Opcode unknown.</summary>
    UnknownCommand = 0x81,
    /// <summary>Out of memory.</summary>
    OutOfMemory = 0x82,
    /// <summary>Command not supported.</summary>
    NotSupported = 0x83,
    /// <summary>Internal error.</summary>
    InternalError = 0x84,
    /// <summary>Server too busy.</summary>
    Busy = 0x85,
    /// <summary>Temporary failure.</summary>
    TemporaryFailure = 0x86,
    /// <summary>Bad xattr.</summary>
    XattrInvalid = 0x87,
    /// <summary>Unknown collection.</summary>
    UnknownCollection = 0x88,
    /// <summary>Unknown scope.</summary>
    UnknownScope = 0x8c,
    /// <summary>Sync write in progress.</summary>
    SyncWriteInProgress = 0xa2,
    /// <summary>Sync write outcome unknown.</summary>
    SyncWriteAmbiguous = 0xa3,
    /// <summary>Sync write re-commit in progress.</summary>
    SyncWriteReCommitInProgress = 0xa4,
}

/// <summary>Classification of statuses used by the retry logic (spec §3, §8.3).</summary>
public static class KvStatusExtensions
{
    /// <summary>Temporary statuses the best-effort strategy retries with backoff (never LOCKED for UNLOCK).</summary>
    public static bool IsRetryable(this KvStatus status) => status is
        KvStatus.TemporaryFailure or KvStatus.Busy or KvStatus.OutOfMemory or KvStatus.NotInitialized
        or KvStatus.SyncWriteInProgress or KvStatus.SyncWriteReCommitInProgress or KvStatus.ConfigOnly;

    /// <summary>Statuses after which the connection cannot be used any more.</summary>
    public static bool InvalidatesConnection(this KvStatus status) => status is
        KvStatus.AuthStale or KvStatus.NoBucket or KvStatus.InternalError;

    /// <summary>A readable name: the enum name where known, otherwise the hex code.</summary>
    public static string Describe(this KvStatus status) =>
        Enum.IsDefined(status) ? $"{status} (0x{(ushort)status:x2})" : $"0x{(ushort)status:x2}";
}
