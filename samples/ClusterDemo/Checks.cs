namespace ClusterDemo;

/// <summary>
/// What the tour checks as it goes: each check prints one line, and the tour ends with
/// <c>checks passed: N of M</c>; the process exits with 0 only when every check passed.
/// </summary>
public sealed class Checks
{
    private int _passed;
    private int _total;

    /// <summary>Rows the tour streamed from views.</summary>
    public long RowsStreamed { get; set; }

    /// <summary>Commands sent on the message path that got no reply (must stay 0).</summary>
    public long LostReplies { get; set; }

    /// <summary>Whether every check so far passed.</summary>
    public bool AllPassed => _passed == _total;

    /// <summary>Records one check and prints it.</summary>
    public void That(bool passed, string what)
    {
        _total++;
        if (passed) _passed++;
        Console.WriteLine($"check {(passed ? "ok" : "FAILED")}: {what}");
    }

    /// <summary>The greppable summary lines.</summary>
    public void PrintSummary()
    {
        Console.WriteLine($"rows streamed: {RowsStreamed}");
        Console.WriteLine($"lost replies: {LostReplies}");
        Console.WriteLine($"checks passed: {_passed} of {_total}");
    }
}
