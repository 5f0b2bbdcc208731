using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Transcoding;

/// <summary>A value ready for the wire: its bytes, the common flags to store with it and the datatype bits of the request.</summary>
/// <param name="Bytes">The encoded document body.</param>
/// <param name="Flags">The u32 flags for the mutation extras (see <see cref="CommonFlags"/>).</param>
/// <param name="DataType">The header datatype (<see cref="Protocol.DataType.Json"/> for JSON; clear it if the connection did not negotiate JSON).</param>
public readonly record struct EncodedValue(ReadOnlyMemory<byte> Bytes, uint Flags, DataType DataType);
