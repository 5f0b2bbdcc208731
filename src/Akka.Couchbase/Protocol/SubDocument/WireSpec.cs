namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>One spec of a multi-path command as it goes on the wire: its opcode, path flags, path and value bytes.</summary>
/// <param name="Opcode">A sub-document opcode (0xc5...), or GET (0x00), SET (0x01), DELETE (0x04) for the whole document.</param>
/// <param name="Flags">The path flags.</param>
/// <param name="Path">The path in UTF-8 (empty for whole-document specs).</param>
/// <param name="Value">The value (JSON) of a mutation spec; empty for lookups, removals.</param>
internal readonly record struct WireSpec(Opcode Opcode, PathFlags Flags, byte[] Path, ReadOnlyMemory<byte> Value);
