using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase;

/// <summary>
/// What one spec of a <see cref="Kv.LookupIn"/> or <see cref="Kv.MutateIn"/> came back with, at the spec's index in
/// the command. <see cref="RawValue"/> is JSON (the path's value, a count, a counter's new value, or the whole
/// document), empty when the spec returns none; like <see cref="GetResult.RawValue"/> it may be a range of the
/// socket read it arrived in.
/// </summary>
/// <param name="Index">The spec's index in the command.</param>
/// <param name="Path">The spec's path.</param>
/// <param name="Status">How the server found the path.</param>
/// <param name="RawValue">The value, as the server sent it.</param>
public sealed record SubDocumentEntry(int Index, string Path, SubDocumentStatus Status, ReadOnlyMemory<byte> RawValue)
{
    /// <summary>True when <see cref="Status"/> is <see cref="SubDocumentStatus.Success"/>.</summary>
    public bool IsSuccess => Status == SubDocumentStatus.Success;

    /// <summary>The value as <typeparamref name="T"/>, read as JSON with <paramref name="transcoder"/>.</summary>
    internal T ContentAs<T>(ITranscoder transcoder, string key, string what)
    {
        if (!IsSuccess)
            throw new InvalidOperationException($"no value for spec {Index} ('{Path}') of {what} '{key}': its status is {Status}");
        return transcoder.Decode<T>(RawValue, CommonFlags.Json, DataType.Json);
    }

    /// <inheritdoc />
    public override string ToString() => $"SubDocumentEntry({Index}, '{Path}', {Status}, {RawValue.Length} bytes)";
}
