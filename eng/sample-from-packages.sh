#!/usr/bin/env bash
# Checks samples/README.md's "make it yours" path: the sample copied outside the repository, built and tested
# against the packages in artifacts/packages (./build.sh pack first) instead of project references, then run.
#   bash eng/sample-from-packages.sh [VERSION]      (./build.sh sample-check packs and runs this)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${1:-0.1.0}"
packages="$root/artifacts/packages"
work="$root/artifacts/sample-check"
ext="$(grep -o 'MicrosoftExtensionsVersion>[^<]*' "$root/Directory.Packages.props" | cut -d'>' -f2)"
rm -rf "$work" && mkdir -p "$work/MyContacts" "$work/MyContacts.Tests"
# An isolated package cache: the local packages are read fresh, never a stale copy of the same version.
export NUGET_PACKAGES="$work/.nuget"

# Outside the repository's build policy, as a user's copy is: these stop MSBuild from reading the repository's files.
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Packages.props"
echo '<Project />' > "$work/Directory.Build.targets"

cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="delivery" value="$packages" />
  </packageSources>
</configuration>
XML

# The executable: handler, factory, API description, Program.cs and appsettings.json in one project.
cp "$root"/samples/Acme.Contacts/*.cs "$root"/samples/Acme.Contacts.Worker/{Program.cs,AcmeContactsApi.cs,appsettings.json} "$work/MyContacts/"
cat > "$work/MyContacts/MyContacts.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <AssemblyName>acme-contacts-worker</AssemblyName>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Delivery.Worker" Version="$version" />
    <PackageReference Include="Microsoft.Extensions.Http" Version="$ext" />
    <None Update="appsettings.json" CopyToOutputDirectory="PreserveNewest" />
    <InternalsVisibleTo Include="MyContacts.Tests" />
  </ItemGroup>
</Project>
XML

# The tests: the conformance kit and the factory tests, from the package.
cp "$root"/samples/Acme.Contacts.Tests/AcmeContactsHandler{Conformance,Factory}Tests.cs "$work/MyContacts.Tests/"
cat > "$work/MyContacts.Tests/MyContacts.Tests.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <IsPackable>false</IsPackable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Delivery.Testing" Version="$version" />
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
    <PackageReference Include="xunit" Version="2.9.3" />
    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
    <ProjectReference Include="../MyContacts/MyContacts.csproj" />
    <Using Include="Xunit" />
  </ItemGroup>
</Project>
XML

cd "$work"
dotnet test MyContacts.Tests -nologo -v:q
out="$work/MyContacts/bin/Debug/net10.0"
dotnet "$out/acme-contacts-worker.dll" validate-config
dotnet "$out/acme-contacts-worker.dll" demo --duration 5s --outage-every 0 | tail -1 | grep -q ': OK$'
echo "sample-check: built, tested and ran from the packages in $packages"
