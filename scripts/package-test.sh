#!/usr/bin/env bash
# The packages as a user installs them. Packs them (scripts/pack.sh), then, in a temporary directory outside the
# repository (none of its Directory.Build.props apply there):
#  1. a new console project installs Akka.Couchbase, Akka.Couchbase.TestKit and Akka.Couchbase.OpenTelemetry at the
#     version just packed, from artifacts/packages (their dependencies, and OpenTelemetry's SDK with its in-memory
#     exporter, from nuget.org), starts a 2-node in-process cluster, connects, upserts one key and reads it back: the
#     value must round-trip, the cluster must hold it with the upsert's CAS, and OpenTelemetry must have exported
#     the two operations' duration metric and spans;
#  2. the runner tool (Akka.Couchbase.TestKit.Runner) is installed and must print its ready line.
# Its own NuGet packages folder means an earlier run's copy of this version in the NuGet cache is never used, and
# package source mapping means the Akka.Couchbase packages come from artifacts/packages only. Prints one
# "PASS: ..." line per part; exit code 0 only when both pass.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/pack.sh

feed="$root/artifacts/packages"
shopt -s nullglob
core=("$feed"/Akka.Couchbase.[0-9]*.nupkg)
shopt -u nullglob
if [ ${#core[@]} -ne 1 ]; then
  echo "FAIL: expected one Akka.Couchbase package in $feed, found ${#core[@]}" >&2
  exit 1
fi
version=$(basename "${core[0]}" .nupkg)
version=${version#Akka.Couchbase.}
echo "Installing the $version packages in a new project ..."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/packages" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="artifacts" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="artifacts">
      <package pattern="Akka.Couchbase" />
      <package pattern="Akka.Couchbase.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF

# 1. A library user: a console program on the packages.
app="$work/PackageUser"
dotnet new console --output "$app" --framework net10.0 --no-restore >/dev/null
(cd "$app" &&
  dotnet add package Akka.Couchbase --version "[$version]" --no-restore >/dev/null &&
  dotnet add package Akka.Couchbase.TestKit --version "[$version]" --no-restore >/dev/null &&
  dotnet add package Akka.Couchbase.OpenTelemetry --version "[$version]" --no-restore >/dev/null &&
  dotnet add package OpenTelemetry --version 1.20.1 --no-restore >/dev/null &&
  dotnet add package OpenTelemetry.Exporter.InMemory --version 1.20.1 --no-restore >/dev/null)
cat > "$app/Program.cs" <<'EOF'
using System.Diagnostics;
using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase;
using Akka.Couchbase.TestKit;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var expected = args[0];
var version = typeof(CouchbaseClient).Assembly
    .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "(none)";
if (version != expected && !version.StartsWith(expected + "+", StringComparison.Ordinal))
{
    Console.WriteLine($"FAIL: Akka.Couchbase is {version}, not the {expected} just packed");
    return 1;
}

var metrics = new List<Metric>();
var spans = new List<Activity>();
using var meterProvider = Sdk.CreateMeterProviderBuilder().AddCouchbaseInstrumentation().AddInMemoryExporter(metrics).Build();
using var tracerProvider = Sdk.CreateTracerProviderBuilder().AddCouchbaseInstrumentation().AddInMemoryExporter(spans).Build();

await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
{
    Nodes = 2,
    Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
    Users = { ["app"] = "secret" },
});
var seeds = string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""));
using var system = ActorSystem.Create("package-user", ConfigurationFactory.ParseString($@"
    akka.loglevel = WARNING
    akka.couchbase {{ servers = [{seeds}], bucket = default, username = app, password = secret }}"));
try
{
    var client = CouchbaseExtension.Get(system).Client;
    await client.ConnectAsync(TimeSpan.FromSeconds(30));
    var value = $"written by the {expected} packages";
    var stored = await client.UpsertAsync("package-test", value);
    var got = await client.GetAsync("package-test");
    var held = cluster.Bucket("default").Get("package-test");
    if (!stored.IsSuccess || !got.IsSuccess || got.ContentAs<string>() != value || held is null || held.Cas != stored.Cas)
    {
        Console.WriteLine($"FAIL: upsert {stored.Outcome}, get {got.Outcome} " +
            $"({(got.IsSuccess ? got.ContentAs<string>() : "no value")}), cluster CAS {held?.Cas} vs {stored.Cas}");
        return 1;
    }
    meterProvider.ForceFlush();
    tracerProvider.ForceFlush();
    var durations = metrics.Where(m => m.Name == "db.client.operation.duration").ToList();
    var operations = spans.Select(s => s.GetTagItem("db.operation.name") as string).ToHashSet();
    if (durations.Count == 0 || !operations.Contains("upsert") || !operations.Contains("get"))
    {
        Console.WriteLine($"FAIL: OpenTelemetry exported {durations.Count} duration metrics and spans of " +
            $"[{string.Join(", ", operations)}], not the upsert's and the get's");
        return 1;
    }
    Console.WriteLine($"PASS: Akka.Couchbase {version} from its package: Upsert then Get of one key round-tripped " +
        $"through a {cluster.Nodes.Count}-node in-process cluster (\"{got.ContentAs<string>()}\", CAS {stored.Cas}); " +
        $"Akka.Couchbase.OpenTelemetry exported their duration metric and {spans.Count} spans");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"FAIL: {e}");
    return 1;
}
finally
{
    await system.Terminate();
}
EOF
# Restores through $work/nuget.config (the nearest above the project).
dotnet build "$app" -c Release -nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; echo "FAIL: the project on the $version packages did not restore or build"; exit 1; }
for id in Akka.Couchbase Akka.Couchbase.TestKit Akka.Couchbase.OpenTelemetry; do
  lower=$(tr '[:upper:]' '[:lower:]' <<<"$id")
  installed="$work/packages/$lower/$version/$lower.$version.nupkg"
  if ! cmp -s "$installed" "$feed/$id.$version.nupkg"; then
    echo "FAIL: the $id $version that was restored is not the one in $feed"
    exit 1
  fi
done
timeout 300 dotnet run --project "$app" -c Release --no-build -- "$version"

# 2. A test suite in another language: the runner as a .NET tool, ready line on standard output; it stops when
# its standard input closes (here at once).
(cd "$work" && dotnet tool install Akka.Couchbase.TestKit.Runner --version "$version" --tool-path "$work/tools" \
  --configfile "$work/nuget.config" >/dev/null)
if ! timeout 120 "$work/tools/akka-couchbase-testkit" --nodes 2 --user app --password secret \
    </dev/null >"$work/runner.out" 2>"$work/runner.err"; then
  cat "$work/runner.out" "$work/runner.err"
  echo "FAIL: akka-couchbase-testkit did not start, or did not stop when its standard input closed"
  exit 1
fi
ready=$(head -1 "$work/runner.out")
if ! grep -qE '^\{"connectionString":"couchbase://127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+".*"user":"app"' <<<"$ready"; then
  echo "FAIL: akka-couchbase-testkit printed no ready line: $ready"
  exit 1
fi
echo "PASS: the akka-couchbase-testkit tool $version installs and starts a cluster: $ready"
