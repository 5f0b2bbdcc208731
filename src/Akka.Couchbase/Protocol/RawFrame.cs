using System.Buffers;
using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// A decoded frame as a value: the header's fields and where its body lies in an array that is never written again.
/// The connection's hot path reads responses through it without allocating; <see cref="ToFrame"/> makes the
/// <see cref="Frame"/> object for the rare paths (handshake, internal requests) and the public decoder.
/// </summary>
internal readonly struct RawFrame
{
    public RawFrame(ReadOnlySpan<byte> header, byte[] buffer, int offset, int length, ArrayPool<byte>? rentedFrom = null)
    {
        Magic = header[0];
        Opcode = (Opcode)header[1];
        if (Protocol.Magic.IsFlexible(Magic)) { FramingExtrasLength = header[2]; KeyLength = header[3]; }
        else { FramingExtrasLength = 0; KeyLength = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(2)); }
        ExtrasLength = header[4];
        DataType = (DataType)header[5];
        VBucketOrStatus = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(6));
        Opaque = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(12));
        Cas = BinaryPrimitives.ReadUInt64BigEndian(header.Slice(16));
        Buffer = buffer;
        Offset = offset;
        Length = length;
        RentedFrom = rentedFrom;
    }

    /// <summary>A frame from its header fields; its body is <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    public RawFrame(byte magic, Opcode opcode, byte framingExtrasLength, byte extrasLength, ushort keyLength,
        DataType dataType, ushort vBucketOrStatus, uint opaque, ulong cas, byte[] buffer, int offset, int length)
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
        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    public byte Magic { get; }
    public Opcode Opcode { get; }
    public byte FramingExtrasLength { get; }
    public byte ExtrasLength { get; }
    public ushort KeyLength { get; }
    public DataType DataType { get; }
    public ushort VBucketOrStatus { get; }
    public uint Opaque { get; }
    public ulong Cas { get; }
    /// <summary>The array holding the body (and, for a frame decoded in place, the rest of the read).</summary>
    public byte[] Buffer { get; }
    public int Offset { get; }
    public int Length { get; }
    /// <summary>
    /// The pool <see cref="Buffer"/> was rented from (it holds this frame alone: its body from 0, or its header and body
    /// when a read loop read the frame on its own; it may be longer), or null.
    /// Whoever keeps the body may give the array back once; dropping it is safe too (it is then collected).
    /// </summary>
    public ArrayPool<byte>? RentedFrom { get; }
    public bool IsRented => RentedFrom is not null;

    public KvStatus Status => (KvStatus)VBucketOrStatus;
    public bool IsResponse => Magic is Protocol.Magic.Response or Protocol.Magic.AltResponse;
    public ReadOnlySpan<byte> Body => Buffer.AsSpan(Offset, Length);
    public ReadOnlySpan<byte> FramingExtras => Buffer.AsSpan(Offset, FramingExtrasLength);
    public ReadOnlySpan<byte> Extras => Buffer.AsSpan(Offset + FramingExtrasLength, ExtrasLength);
    public ReadOnlySpan<byte> Key => Buffer.AsSpan(Offset + FramingExtrasLength + ExtrasLength, KeyLength);
    public int ValueOffset => FramingExtrasLength + ExtrasLength + KeyLength;
    public int ValueLength => Length - ValueOffset;
    public ReadOnlySpan<byte> Value => Buffer.AsSpan(Offset + ValueOffset, ValueLength);
    public ReadOnlyMemory<byte> ValueMemory => Buffer.AsMemory(Offset + ValueOffset, ValueLength);
    public uint FlagsFromExtras => ExtrasLength >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Extras) : 0;

    /// <summary>The frame as an object (it shares this one's buffer).</summary>
    public Frame ToFrame() => new(this);
}
