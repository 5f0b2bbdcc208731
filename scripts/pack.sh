#!/usr/bin/env bash
# Packs every package under src/ in Release into artifacts/packages (emptied first) and lists what it made:
# a .nupkg and its symbols (.snupkg) per package. The version is src/Directory.Build.props' VersionPrefix;
# VERSION_SUFFIX=beta.1 makes a pre-release (0.9.0-beta.1). With CI=true the builds are deterministic.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(pwd)/artifacts/packages"
rm -rf "$out"
mkdir -p "$out"

args=(-c Release -nologo -v quiet -o "$out")
if [ -n "${VERSION_SUFFIX:-}" ]; then args+=(--version-suffix "$VERSION_SUFFIX"); fi

for project in src/*/*.csproj; do
  echo "Packing $(basename "$project" .csproj) ..."
  dotnet pack "$project" "${args[@]}"
done

shopt -s nullglob
made=("$out"/*.nupkg "$out"/*.snupkg)
if [ ${#made[@]} -eq 0 ]; then
  echo "No package was made" >&2
  exit 1
fi
echo "Packages in ${out#"$(pwd)/"}:"
for file in "${made[@]}"; do
  printf '  %-55s %8s bytes\n' "$(basename "$file")" "$(stat -c %s "$file")"
done
