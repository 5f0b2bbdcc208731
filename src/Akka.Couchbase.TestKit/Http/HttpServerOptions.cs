namespace Akka.Couchbase.TestKit.Http;

/// <summary>Limits and socket settings of an <see cref="HttpServer"/>.</summary>
public sealed record HttpServerOptions
{
    /// <summary>The defaults: 64 KiB of request line and headers, 64 MiB of body, kernel-default socket buffers.</summary>
    public static HttpServerOptions Default { get; } = new();

    /// <summary>Largest request line plus headers accepted; larger requests get 431. Default 64 KiB.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Largest request body accepted; larger bodies get 413. Default 64 MiB.</summary>
    public long MaxBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Send buffer size set on accepted sockets, or null for the kernel default. Small values make
    /// backpressure visible sooner (the kernel may round the value up).
    /// </summary>
    public int? SendBufferSize { get; init; }

    /// <summary>Listen backlog. Default 512.</summary>
    public int Backlog { get; init; } = 512;
}
