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

    /// <summary>The frame's length (read it as <see cref="KvRequest.EncodedSize"/>, which computes it once).</summary>
    public static int Size(KvRequest request) =>
        FrameWriter.Size(0, ExtrasLength(request.Opcode), request.KeyLength, request.Value.Bytes.Length);

    /// <summary>Writes the frame at the start of <paramref name="dest"/>; returns its length.</summary>
    public static int Write(Span<byte> dest, KvRequest request, bool jsonNegotiated)
    {
        var opcode = request.Opcode;
        var extrasLength = ExtrasLength(opcode);
        var value = request.Value.Bytes.Span;
        var dataType = jsonNegotiated ? request.Value.DataType & DataType.Json : DataType.Raw;
        var bodyLength = extrasLength + request.KeyLength + value.Length;
        FrameWriter.WriteHeader(dest, Magic.Request, opcode, 0, extrasLength, request.KeyLength, dataType,
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
        request.KeyBytes.CopyTo(dest.Slice(at));
        at += request.KeyLength;
        value.CopyTo(dest.Slice(at));
        return at + value.Length;
    }
}
