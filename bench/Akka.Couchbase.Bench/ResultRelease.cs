namespace Akka.Couchbase.Bench;

/// <summary>
/// Every Get result the tool receives is disposed once counted (it never reads the value): with
/// <c>--pooled-values</c> that gives its pooled array back, without it nothing happens.
/// </summary>
internal static class ResultRelease
{
    /// <summary>Disposes <paramref name="reply"/> if it is a <see cref="GetResult"/> or a multi-get of them.</summary>
    public static void Release(object? reply)
    {
        switch (reply)
        {
            case GetResult get:
                get.Dispose();
                break;
            case MultiResult<GetResult> multi:
                foreach (var result in multi.Results.Values) result.Dispose();
                break;
        }
    }
}
