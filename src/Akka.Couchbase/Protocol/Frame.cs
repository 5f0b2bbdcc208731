using System.Buffers.Binary;
using System.Text;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// One decoded MCBP frame: the 24-byte header's fields and its body (framing extras, extras, key, value).
/// The body array is owned by the frame; a frame is immutable once decoded.
/// </summary>
public sealed class Frame
{
    /// <summary>Size of the fixed header in bytes.</summary>
    public const int HeaderSize = 24;

    /// <summary>Creates a frame from its parts; <paramref name="body"/> holds framing extras, extras, key and value in order.</summary>
    public Frame(byte magic, Opcode opcode, byte framingExtrasLength, byte extrasLength, ushort keyLength,
        DataType dataType, ushort vBucketOrStatus, uint opaque, ulong cas, byte[] body)
    {
        Magic = magic;
        Opcode = opcode;
        FramingExtrasLength = framingExtrasLength;
        ExtrasLength = extrasLength;
        KeyLength = keyLength;
        DataType = dataType;
        VBucketOrStatus = vBucketOrStatus;
        Opaque = opaque;
        Cas = cas;
        Body = body;
    }

    /// <summary>Magic byte (see <see cref="Protocol.Magic"/>).</summary>
    public byte Magic { get; }
    /// <summary>Opcode.</summary>
    public Opcode Opcode { get; }
    /// <summary>Length of the framing extras block (flexible frames only).</summary>
    public byte FramingExtrasLength { get; }
    /// <summary>Length of the extras.</summary>
    public byte ExtrasLength { get; }
    /// <summary>Length of the key.</summary>
    public ushort KeyLength { get; }
    /// <summary>Datatype bits.</summary>
    public DataType DataType { get; }
    /// <summary>vBucket id in requests, status in responses.</summary>
    public ushort VBucketOrStatus { get; }
    /// <summary>Opaque echoed from request to response.</summary>
    public uint Opaque { get; }
    /// <summary>CAS.</summary>
    public ulong Cas { get; }
    /// <summary>The whole body.</summary>
    public byte[] Body { get; }

    /// <summary>The status of a response frame.</summary>
    public KvStatus Status => (KvStatus)VBucketOrStatus;
    /// <summary>The vBucket of a request frame.</summary>
    public ushort VBucket => VBucketOrStatus;
    /// <summary>True for magic bytes sent by a server.</summary>
    public bool IsResponse => Magic is Protocol.Magic.Response or Protocol.Magic.AltResponse;

    /// <summary>The framing extras.</summary>
    public ReadOnlySpan<byte> FramingExtras => Body.AsSpan(0, FramingExtrasLength);
    /// <summary>The extras.</summary>
    public ReadOnlySpan<byte> Extras => Body.AsSpan(FramingExtrasLength, ExtrasLength);
    /// <summary>The key bytes.</summary>
    public ReadOnlySpan<byte> Key => Body.AsSpan(FramingExtrasLength + ExtrasLength, KeyLength);
    /// <summary>Offset of the value inside <see cref="Body"/>.</summary>
    public int ValueOffset => FramingExtrasLength + ExtrasLength + KeyLength;
    /// <summary>Length of the value.</summary>
    public int ValueLength => Body.Length - ValueOffset;
    /// <summary>The value bytes.</summary>
    public ReadOnlySpan<byte> Value => Body.AsSpan(ValueOffset);
    /// <summary>The value as memory (no copy).</summary>
    public ReadOnlyMemory<byte> ValueMemory => Body.AsMemory(ValueOffset);
    /// <summary>The key decoded as UTF-8.</summary>
    public string KeyString => Encoding.UTF8.GetString(Key);

    /// <summary>The first four extras bytes as u32 flags (GET-family replies), or 0.</summary>
    public uint FlagsFromExtras => ExtrasLength >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Extras) : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"Frame(magic=0x{Magic:x2}, op={Opcode}, {(IsResponse ? "status=" + Status.Describe() : "vb=" + VBucket)}, opaque={Opaque}, cas=0x{Cas:x}, key={KeyLength}B, value={ValueLength}B)";
}
