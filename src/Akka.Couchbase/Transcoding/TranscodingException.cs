namespace Akka.Couchbase.Transcoding;

/// <summary>A value could not be encoded, or a document could not be decoded into the requested type.</summary>
public sealed class TranscodingException : Exception
{
    /// <summary>Creates the exception for a document with <paramref name="flags"/> that could not become a <paramref name="targetType"/>.</summary>
    public TranscodingException(uint flags, Type targetType, string reason, Exception? inner = null)
        : base($"cannot decode a document with flags 0x{flags:x8} ({CommonFlags.FormatOf(flags)}) as {targetType}: {reason}", inner)
    {
        Flags = flags;
        TargetType = targetType;
    }

    /// <summary>Creates the exception for a value of <paramref name="sourceType"/> that could not be encoded.</summary>
    public TranscodingException(Type sourceType, string reason, Exception? inner = null)
        : base($"cannot encode a value of type {sourceType}: {reason}", inner)
    {
        TargetType = sourceType;
    }

    /// <summary>The flags of the document being decoded (0 for encoding failures).</summary>
    public uint Flags { get; }

    /// <summary>The type requested by the caller (the value's type for encoding failures).</summary>
    public Type TargetType { get; }
}
