using System.Text;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// One decoded MCBP frame as an object: the 24-byte header's fields and its body (framing extras, extras, key,
/// value), over a <see cref="RawFrame"/>. The body is owned by the frame, or (frames decoded from a received buffer
/// that is never written again) a range of that buffer; a frame is immutable once decoded.
/// </summary>
internal sealed class Frame
{
    /// <summary>Size of the fixed header in bytes.</summary>
    public const int HeaderSize = 24;

    private readonly RawFrame _raw;

    /// <summary>Creates a frame from its parts; <paramref name="body"/> holds framing extras, extras, key and value in order.</summary>
    public Frame(byte magic, Opcode opcode, byte framingExtrasLength, byte extrasLength, ushort keyLength,
        DataType dataType, ushort vBucketOrStatus, uint opaque, ulong cas, byte[] body)
        : this(new RawFrame(magic, opcode, framingExtrasLength, extrasLength, keyLength, dataType, vBucketOrStatus,
            opaque, cas, body, 0, body.Length))
    {
    }

    /// <summary>The frame <paramref name="raw"/> as an object, its body not copied: its buffer is never modified.</summary>
    public Frame(in RawFrame raw) => _raw = raw;

    /// <summary>Magic byte (see <see cref="Protocol.Magic"/>).</summary>
    public byte Magic => _raw.Magic;
    /// <summary>Opcode.</summary>
    public Opcode Opcode => _raw.Opcode;
    /// <summary>Length of the framing extras block (flexible frames only).</summary>
    public byte FramingExtrasLength => _raw.FramingExtrasLength;
    /// <summary>Length of the extras.</summary>
    public byte ExtrasLength => _raw.ExtrasLength;
    /// <summary>Length of the key.</summary>
    public ushort KeyLength => _raw.KeyLength;
    /// <summary>Datatype bits.</summary>
    public DataType DataType => _raw.DataType;
    /// <summary>vBucket id in requests, status in responses.</summary>
    public ushort VBucketOrStatus => _raw.VBucketOrStatus;
    /// <summary>Opaque echoed from request to response.</summary>
    public uint Opaque => _raw.Opaque;
    /// <summary>CAS.</summary>
    public ulong Cas => _raw.Cas;
    /// <summary>The whole body (a copy when the frame is a range of a larger buffer).</summary>
    public byte[] Body => _raw.Offset == 0 && _raw.Length == _raw.Buffer.Length ? _raw.Buffer : BodySpan.ToArray();
    /// <summary>Length of the body.</summary>
    public int BodyLength => _raw.Length;
    /// <summary>The whole body, without a copy.</summary>
    public ReadOnlySpan<byte> BodySpan => _raw.Body;

    /// <summary>The status of a response frame.</summary>
    public KvStatus Status => _raw.Status;
    /// <summary>The vBucket of a request frame.</summary>
    public ushort VBucket => _raw.VBucketOrStatus;
    /// <summary>True for magic bytes sent by a server.</summary>
    public bool IsResponse => _raw.IsResponse;

    /// <summary>The framing extras.</summary>
    public ReadOnlySpan<byte> FramingExtras => _raw.FramingExtras;
    /// <summary>The extras.</summary>
    public ReadOnlySpan<byte> Extras => _raw.Extras;
    /// <summary>The key bytes.</summary>
    public ReadOnlySpan<byte> Key => _raw.Key;
    /// <summary>Offset of the value inside <see cref="Body"/>.</summary>
    public int ValueOffset => _raw.ValueOffset;
    /// <summary>Length of the value.</summary>
    public int ValueLength => _raw.ValueLength;
    /// <summary>The value bytes.</summary>
    public ReadOnlySpan<byte> Value => _raw.Value;
    /// <summary>The value as memory (no copy).</summary>
    public ReadOnlyMemory<byte> ValueMemory => _raw.ValueMemory;
    /// <summary>The key decoded as UTF-8.</summary>
    public string KeyString => Encoding.UTF8.GetString(Key);

    /// <summary>The first four extras bytes as u32 flags (GET-family replies), or 0.</summary>
    public uint FlagsFromExtras => _raw.FlagsFromExtras;

    /// <inheritdoc />
    public override string ToString() =>
        $"Frame(magic=0x{Magic:x2}, op={Opcode}, {(IsResponse ? "status=" + Status.Describe() : "vb=" + VBucket)}, opaque={Opaque}, cas=0x{Cas:x}, key={KeyLength}B, value={ValueLength}B)";
}
