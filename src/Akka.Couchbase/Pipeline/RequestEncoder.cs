using System.Buffers.Binary;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline;

/// <summary>Writes a <see cref="KvRequest"/> as one MCBP request frame (extras per opcode, spec §2).</summary>
internal static class RequestEncoder
{
    public static int ExtrasLength(Opcode opcode) => opcode switch
    {
        Opcode.Set or Opcode.Add or Opcode.Replace => 8,
        Opcode.Increment or Opcode.Decrement => 20,
        Opcode.GetAndTouch or Opcode.Touch or Opcode.GetLocked => 4,
        _ => 0,
    };

    /// <summary>
    /// The frame's length without a collection id (read it as <see cref="KvRequest.EncodedSize"/>, which computes it
    /// once); a connection that negotiated Collections writes up to <see cref="MaxCollectionPrefix"/> bytes more.
    /// </summary>
    public static int Size(KvRequest request) =>
        FrameWriter.Size(0, ExtrasLength(request.Opcode), request.KeyLength, request.Value.Bytes.Length);

    /// <summary>The most bytes a collection id adds in front of a key (a 32-bit id in LEB128).</summary>
    public const int MaxCollectionPrefix = 5;

    /// <summary>
    /// The collection id's length in front of the key: on a connection that negotiated Collections, every command
    /// with a key carries it (0x00 for the default collection); elsewhere none.
    /// </summary>
    private static int PrefixLength(KvRequest request, bool collections) =>
        collections && request.KeyLength > 0 ? Leb128.Size(request.CollectionId) : 0;

    /// <summary>Writes the frame at the start of <paramref name="dest"/>; returns its length.</summary>
    public static int Write(Span<byte> dest, KvRequest request, bool jsonNegotiated, bool collectionsNegotiated = false)
    {
        var opcode = request.Opcode;
        var extrasLength = ExtrasLength(opcode);
        var value = request.Value.Bytes.Span;
        var dataType = jsonNegotiated ? request.Value.DataType & DataType.Json : DataType.Raw;
        var prefixLength = PrefixLength(request, collectionsNegotiated);
        var keyLength = prefixLength + request.KeyLength;
        var bodyLength = extrasLength + keyLength + value.Length;
        FrameWriter.WriteHeader(dest, Magic.Request, opcode, 0, extrasLength, keyLength, dataType,
            (ushort)request.VBucket, bodyLength, request.Opaque, request.Cas);
        var extras = dest.Slice(Frame.HeaderSize, extrasLength);
        switch (opcode)
        {
            case Opcode.Set or Opcode.Add or Opcode.Replace:
                BinaryPrimitives.WriteUInt32BigEndian(extras, request.Value.Flags);
                BinaryPrimitives.WriteUInt32BigEndian(extras.Slice(4), request.Expiry);
                break;
            case Opcode.Increment or Opcode.Decrement:
                BinaryPrimitives.WriteUInt64BigEndian(extras, request.Delta);
                BinaryPrimitives.WriteUInt64BigEndian(extras.Slice(8), request.Initial);
                BinaryPrimitives.WriteUInt32BigEndian(extras.Slice(16), request.Expiry);
                break;
            case Opcode.GetAndTouch or Opcode.Touch or Opcode.GetLocked:
                BinaryPrimitives.WriteUInt32BigEndian(extras, request.Expiry);
                break;
        }
        var at = Frame.HeaderSize + extrasLength;
        if (prefixLength > 0) at += Leb128.Write(dest.Slice(at), request.CollectionId);
        request.KeyBytes.CopyTo(dest.Slice(at));
        at += request.KeyLength;
        value.CopyTo(dest.Slice(at));
        return at + value.Length;
    }
}
