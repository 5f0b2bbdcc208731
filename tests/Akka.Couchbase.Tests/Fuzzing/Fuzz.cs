using System.Diagnostics;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Fuzzing;

/// <summary>
/// The fuzz tests share one xunit collection, so they run one after the other, each on one thread, and not beside
/// the rest of the suite (whose deadline and timing tests a busy core would disturb): the collection runs alone,
/// after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzzing";
}

/// <summary>
/// How each fuzz property is run: CsCheck samples its generator for a fixed time (<see cref="SecondsPerProperty"/>),
/// shrinks any failing input, and reports the seed that reproduces it. Under CI (<c>CI=true</c>) the budget is
/// always the default, so the whole fuzz set (13 properties over both test projects) stays within about a
/// minute; a local run may ask for a longer one with <c>FUZZ_SECONDS</c> (seconds per property).
/// No hang: a single case slower than <see cref="CaseLimit"/> fails the property, and a property that has not
/// returned within <see cref="HangLimit"/> (a case that never ends) fails the test.
/// </summary>
internal static class Fuzz
{
    public const int DefaultSecondsPerProperty = 3;

    public static int SecondsPerProperty { get; } = ReadSeconds();

    /// <summary>The longest one case may take: every input is at most tens of kilobytes, so this is a loop, not load.</summary>
    public static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(5);

    /// <summary>Sampling time, then as long again for shrinking a failure, and a margin for a loaded machine.</summary>
    public static TimeSpan HangLimit => TimeSpan.FromSeconds(2 * SecondsPerProperty + 60);

    private static int ReadSeconds()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            return DefaultSecondsPerProperty;
        return int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), out var s) && s > 0
            ? s
            : DefaultSecondsPerProperty;
    }

    /// <summary>Samples <paramref name="gen"/> for the budget; <paramref name="property"/> throws when a case breaks the contract.</summary>
    public static async Task Check<T>(Gen<T> gen, Action<T> property, ITestOutputHelper output,
        Func<T, string>? print = null)
    {
        var sampling = Task.Run(() => gen.Sample(t =>
            {
                var started = Stopwatch.GetTimestamp();
                property(t);
                var took = Stopwatch.GetElapsedTime(started);
                if (took > CaseLimit) throw new TimeoutException($"one case took {took.TotalMilliseconds:F0} ms");
            },
            output.WriteLine, time: SecondsPerProperty, threads: 1, print: print));
        await WithinHangLimit(sampling);
    }

    /// <summary>As <see cref="Check{T}"/> for an asynchronous property; each case must finish within <see cref="CaseLimit"/>.</summary>
    public static async Task CheckAsync<T>(Gen<T> gen, Func<T, Task> property, ITestOutputHelper output,
        Func<T, string>? print = null)
    {
        var sampling = Task.Run(() => gen.SampleAsync(t => property(t).WaitAsync(CaseLimit),
            output.WriteLine, time: SecondsPerProperty, threads: 1, print: print));
        await WithinHangLimit(sampling);
    }

    private static async Task WithinHangLimit(Task sampling)
    {
        try
        {
            await sampling.WaitAsync(HangLimit);
        }
        catch (TimeoutException) when (!sampling.IsCompleted)
        {
            Assert.Fail($"the property did not finish within {HangLimit.TotalSeconds:F0} s: a case hangs");
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> and lets through only the exceptions <paramref name="documented"/> accepts;
    /// any other is wrapped in an exception that names it, so that CsCheck reports it as the failure.
    /// Returns true when <paramref name="read"/> completed.
    /// </summary>
    public static bool OnlyDocumented(Action read, Func<Exception, bool> documented)
    {
        try
        {
            read();
            return true;
        }
        catch (Exception e) when (documented(e))
        {
            return false;
        }
        catch (Exception e)
        {
            throw new UndocumentedException(e);
        }
    }

    /// <summary>The asynchronous <see cref="OnlyDocumented"/>.</summary>
    public static async Task<bool> OnlyDocumentedAsync(Func<Task> read, Func<Exception, bool> documented)
    {
        try
        {
            await read();
            return true;
        }
        catch (Exception e) when (documented(e))
        {
            return false;
        }
        catch (Exception e)
        {
            throw new UndocumentedException(e);
        }
    }

    /// <summary>Bytes allocated on this thread by <paramref name="action"/> (which must not throw).</summary>
    public static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A reader threw an exception its contract does not name.</summary>
    public sealed class UndocumentedException(Exception inner)
        : Exception($"undocumented {inner.GetType().Name}: {inner.Message}", inner);
}
