namespace Akka.Couchbase.Protocol;

/// <summary>The peer sent bytes that are not a valid MCBP frame. The connection that read them must be closed.</summary>
internal sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception with a message naming what was wrong.</summary>
    public ProtocolException(string message) : base(message) { }
}
