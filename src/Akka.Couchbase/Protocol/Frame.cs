using System.Buffers.Binary;
using System.Text;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// One decoded MCBP frame: the 24-byte header's fields and its body (framing extras, extras, key, value).
/// The body is owned by the frame, or (frames decoded from a received buffer that is never written again) a range
/// of that buffer; a frame is immutable once decoded.
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
        _buffer = body;
        _offset = 0;
        BodyLength = body.Length;
    }

    /// <summary>A frame whose body is <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>, not copied: the caller guarantees the buffer is never modified.</summary>
    internal Frame(byte magic, Opcode opcode, byte framingExtrasLength, byte extrasLength, ushort keyLength,
        DataType dataType, ushort vBucketOrStatus, uint opaque, ulong cas, byte[] buffer, int offset, int length)
        : this(magic, opcode, framingExtrasLength, extrasLength, keyLength, dataType, vBucketOrStatus, opaque, cas,
            Array.Empty<byte>())
    {
        _buffer = buffer;
        _offset = offset;
        BodyLength = length;
    }

    private readonly byte[] _buffer;
    private readonly int _offset;

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
    /// <summary>The whole body (a copy when the frame is a range of a larger buffer).</summary>
    public byte[] Body => _offset == 0 && BodyLength == _buffer.Length ? _buffer : BodySpan.ToArray();
    /// <summary>Length of the body.</summary>
    public int BodyLength { get; }
    /// <summary>The whole body, without a copy.</summary>
    public ReadOnlySpan<byte> BodySpan => _buffer.AsSpan(_offset, BodyLength);

    /// <summary>The status of a response frame.</summary>
    public KvStatus Status => (KvStatus)VBucketOrStatus;
    /// <summary>The vBucket of a request frame.</summary>
    public ushort VBucket => VBucketOrStatus;
    /// <summary>True for magic bytes sent by a server.</summary>
    public bool IsResponse => Magic is Protocol.Magic.Response or Protocol.Magic.AltResponse;

    /// <summary>The framing extras.</summary>
    public ReadOnlySpan<byte> FramingExtras => _buffer.AsSpan(_offset, FramingExtrasLength);
    /// <summary>The extras.</summary>
    public ReadOnlySpan<byte> Extras => _buffer.AsSpan(_offset + FramingExtrasLength, ExtrasLength);
    /// <summary>The key bytes.</summary>
    public ReadOnlySpan<byte> Key => _buffer.AsSpan(_offset + FramingExtrasLength + ExtrasLength, KeyLength);
    /// <summary>Offset of the value inside <see cref="Body"/>.</summary>
    public int ValueOffset => FramingExtrasLength + ExtrasLength + KeyLength;
    /// <summary>Length of the value.</summary>
    public int ValueLength => BodyLength - ValueOffset;
    /// <summary>The value bytes.</summary>
    public ReadOnlySpan<byte> Value => _buffer.AsSpan(_offset + ValueOffset, ValueLength);
    /// <summary>The value as memory (no copy).</summary>
    public ReadOnlyMemory<byte> ValueMemory => _buffer.AsMemory(_offset + ValueOffset, ValueLength);
    /// <summary>The key decoded as UTF-8.</summary>
    public string KeyString => Encoding.UTF8.GetString(Key);

    /// <summary>The first four extras bytes as u32 flags (GET-family replies), or 0.</summary>
    public uint FlagsFromExtras => ExtrasLength >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Extras) : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"Frame(magic=0x{Magic:x2}, op={Opcode}, {(IsResponse ? "status=" + Status.Describe() : "vb=" + VBucket)}, opaque={Opaque}, cas=0x{Cas:x}, key={KeyLength}B, value={ValueLength}B)";
}
