#!/usr/bin/env bash
# Restores the Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (pinned in tools/BicepCli) and
# puts the binary at tools/bicep/bicep. Registry downloads of bicep itself are not reachable here; NuGet is.
set -euo pipefail
cd "$(dirname "$0")/.."
target=tools/bicep/bicep
if [ -x "$target" ]; then exit 0; fi
dotnet restore tools/BicepCli/BicepCli.csproj --nologo -v:q >/dev/null
packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
version=$(sed -nE 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[([^]]+)\]".*/\1/p' tools/BicepCli/BicepCli.csproj)
mkdir -p tools/bicep
cp "$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep" "$target"
chmod +x "$target"
