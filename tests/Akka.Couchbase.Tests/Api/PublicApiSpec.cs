using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;
using Xunit;

namespace Akka.Couchbase.Tests.Api;

/// <summary>
/// The public API of every package is recorded in a checked-in file (<c>Api/&lt;package&gt;.approved.txt</c>): any
/// change to a public type or member fails here until the file shows it. To accept a change on purpose, copy the
/// <c>.received.txt</c> this test writes next to the approved file over it, and let the review see the diff.
/// </summary>
public sealed class PublicApiSpec
{
    public static TheoryData<string> Packages => new()
    {
        "Akka.Couchbase",
        "Akka.Couchbase.Streams",
        "Akka.Couchbase.Hosting",
        "Akka.Couchbase.TestKit",
        "Akka.Couchbase.OpenTelemetry",
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_API_is_the_one_recorded(string package)
    {
        var assembly = Assembly.Load(package);
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = new[]
            {
                "System.Runtime.Versioning.TargetFrameworkAttribute",
                "System.Reflection.AssemblyMetadataAttribute",
            },
        }).ReplaceLineEndings("\n");

        var approvedPath = Path.Combine(ThisFolder(), $"{package}.approved.txt");
        var receivedPath = Path.Combine(ThisFolder(), $"{package}.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved == api)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, api);
        var approvedLines = approved.Split('\n');
        var receivedLines = api.Split('\n');
        var added = receivedLines.Except(approvedLines).Take(20).ToList();
        var removed = approvedLines.Except(receivedLines).Take(20).ToList();
        Assert.Fail($"The public API of {package} differs from {approvedPath}.\n" +
                    $"Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\n" +
                    $"If the change is meant, copy {receivedPath} over the approved file.");
    }

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
