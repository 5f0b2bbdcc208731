using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Transcoding;

/// <summary>Turns application values into document bytes and flags, and back. Implementations must be thread-safe.</summary>
public interface ITranscoder
{
    /// <summary>Encodes <paramref name="value"/> for storing.</summary>
    /// <exception cref="TranscodingException">The value cannot be encoded.</exception>
    EncodedValue Encode<T>(T value);

    /// <summary>Decodes a document read with the given flags and datatype into a <typeparamref name="T"/>.</summary>
    /// <exception cref="TranscodingException">The bytes cannot be read as a <typeparamref name="T"/>.</exception>
    T Decode<T>(ReadOnlyMemory<byte> bytes, uint flags, DataType dataType);
}
