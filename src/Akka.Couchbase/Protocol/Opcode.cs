namespace Akka.Couchbase.Protocol;

/// <summary>Client-initiated MCBP opcodes (spec §2.1).</summary>
public enum Opcode : byte
{
    /// <summary>GET.</summary>
    Get = 0x00,
    /// <summary>SET (upsert).</summary>
    Set = 0x01,
    /// <summary>ADD (insert).</summary>
    Add = 0x02,
    /// <summary>REPLACE.</summary>
    Replace = 0x03,
    /// <summary>DELETE.</summary>
    Delete = 0x04,
    /// <summary>INCREMENT.</summary>
    Increment = 0x05,
    /// <summary>DECREMENT.</summary>
    Decrement = 0x06,
    /// <summary>QUIT.</summary>
    Quit = 0x07,
    /// <summary>FLUSH.</summary>
    Flush = 0x08,
    /// <summary>GETQ: no reply on miss.</summary>
    GetQ = 0x09,
    /// <summary>NOOP: keep-alive and pipeline fence.</summary>
    Noop = 0x0a,
    /// <summary>VERSION.</summary>
    Version = 0x0b,
    /// <summary>GETK: key echoed.</summary>
    GetK = 0x0c,
    /// <summary>GETKQ: quiet, key echoed.</summary>
    GetKQ = 0x0d,
    /// <summary>APPEND.</summary>
    Append = 0x0e,
    /// <summary>PREPEND.</summary>
    Prepend = 0x0f,
    /// <summary>STAT.</summary>
    Stat = 0x10,
    /// <summary>SETQ.</summary>
    SetQ = 0x11,
    /// <summary>ADDQ.</summary>
    AddQ = 0x12,
    /// <summary>REPLACEQ.</summary>
    ReplaceQ = 0x13,
    /// <summary>DELETEQ.</summary>
    DeleteQ = 0x14,
    /// <summary>INCREMENTQ.</summary>
    IncrementQ = 0x15,
    /// <summary>DECREMENTQ.</summary>
    DecrementQ = 0x16,
    /// <summary>QUITQ.</summary>
    QuitQ = 0x17,
    /// <summary>FLUSHQ.</summary>
    FlushQ = 0x18,
    /// <summary>APPENDQ.</summary>
    AppendQ = 0x19,
    /// <summary>PREPENDQ.</summary>
    PrependQ = 0x1a,
    /// <summary>VERBOSITY.</summary>
    Verbosity = 0x1b,
    /// <summary>TOUCH.</summary>
    Touch = 0x1c,
    /// <summary>GAT: get and touch.</summary>
    GetAndTouch = 0x1d,
    /// <summary>GATQ.</summary>
    GetAndTouchQ = 0x1e,
    /// <summary>HELLO: feature negotiation.</summary>
    Hello = 0x1f,
    /// <summary>SASL_LIST_MECHS.</summary>
    SaslListMechs = 0x20,
    /// <summary>SASL_AUTH.</summary>
    SaslAuth = 0x21,
    /// <summary>SASL_STEP.</summary>
    SaslStep = 0x22,
    /// <summary>GET_REPLICA.</summary>
    GetReplica = 0x83,
    /// <summary>SELECT_BUCKET.</summary>
    SelectBucket = 0x89,
    /// <summary>OBSERVE_SEQNO.</summary>
    ObserveSeqno = 0x91,
    /// <summary>OBSERVE.</summary>
    Observe = 0x92,
    /// <summary>EVICT_KEY.</summary>
    EvictKey = 0x93,
    /// <summary>GET_LOCKED (GETL).</summary>
    GetLocked = 0x94,
    /// <summary>UNLOCK_KEY.</summary>
    UnlockKey = 0x95,
    /// <summary>Sub-document: get a path's value (also a spec opcode inside MULTI_LOOKUP).</summary>
    SubdocGet = 0xc5,
    /// <summary>Sub-document: whether a path exists.</summary>
    SubdocExists = 0xc6,
    /// <summary>Sub-document: add a dictionary entry (fails if it exists).</summary>
    SubdocDictAdd = 0xc7,
    /// <summary>Sub-document: add or replace a dictionary entry.</summary>
    SubdocDictUpsert = 0xc8,
    /// <summary>Sub-document: remove a path.</summary>
    SubdocDelete = 0xc9,
    /// <summary>Sub-document: replace a path's value.</summary>
    SubdocReplace = 0xca,
    /// <summary>Sub-document: append to an array.</summary>
    SubdocArrayPushLast = 0xcb,
    /// <summary>Sub-document: prepend to an array.</summary>
    SubdocArrayPushFirst = 0xcc,
    /// <summary>Sub-document: insert into an array at an index.</summary>
    SubdocArrayInsert = 0xcd,
    /// <summary>Sub-document: add to an array unless the value is already in it.</summary>
    SubdocArrayAddUnique = 0xce,
    /// <summary>Sub-document: add to a number.</summary>
    SubdocCounter = 0xcf,
    /// <summary>Sub-document: several lookups on one document.</summary>
    SubdocMultiLookup = 0xd0,
    /// <summary>Sub-document: several mutations on one document, applied together or not at all.</summary>
    SubdocMultiMutation = 0xd1,
    /// <summary>Sub-document: the number of elements of an array or entries of a dictionary.</summary>
    SubdocGetCount = 0xd2,
    /// <summary>GET_CLUSTER_CONFIG (CCCP).</summary>
    GetClusterConfig = 0xb5,
    /// <summary>GET_RANDOM_KEY.</summary>
    GetRandomKey = 0xb6,
    /// <summary>GET_COLLECTIONS_MANIFEST.</summary>
    GetCollectionsManifest = 0xba,
    /// <summary>GET_COLLECTION_ID.</summary>
    GetCollectionId = 0xbb,
    /// <summary>GET_ERROR_MAP.</summary>
    GetErrorMap = 0xfe,
}
