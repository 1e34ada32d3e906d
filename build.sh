#!/usr/bin/env bash
# delivery-worker build entry point.
#   ./build.sh bootstrap            install what the tests need (helm, promtool)
#   ./build.sh run [-- ARGS]        run the demo: embedded Kafka + demo API + live table (ARGS go to `demo`)
#   ./build.sh test                 bootstrap, Release build (warnings as errors), every test project,
#                                   closing line `tests: N passed, M failed`
#   ./build.sh bench [--full] [SCENARIO…]  benchmark harness, writes docs/benchmarks/ (e.g. `bench failover`: only that one)
#   ./build.sh pack [--version V]   NuGet packages (Delivery.Core, Delivery.Testing, ...) into artifacts/packages
#   ./build.sh sample-check         pack, then build/test/run a copy of samples/ outside the repo from those packages
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DELIVERY_HELM="$root/.tools/helm"

verb="${1:-help}"
shift || true

build() {
  dotnet build "$root/Delivery.sln" -c Release -nologo -v:q -clp:ErrorsOnly -warnaserror "$@"
}

case "$verb" in
  bootstrap)
    bash "$root/eng/bootstrap.sh" all
    ;;
  run)
    [ "${1:-}" = "--" ] && shift
    dotnet build "$root/src/Delivery.Worker/Delivery.Worker.csproj" -c Release -nologo -v:q -clp:ErrorsOnly
    export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}" # as the container image (deploy/Dockerfile)
    exec dotnet "$root/src/Delivery.Worker/bin/Release/net10.0/delivery-worker.dll" demo "$@"
    ;;
  test)
    if [ "${CI:-}" = "true" ] && [ -n "${DELIVERY_TEST_FILTER:-}" ]; then
      # A leftover variable must not drop tests from CI silently.
      echo "DELIVERY_TEST_FILTER is set ('$DELIVERY_TEST_FILTER'); CI runs every test: unset it" >&2
      exit 2
    fi
    bash "$root/eng/bootstrap.sh" all
    build
    results="$root/artifacts/test-results"
    rm -rf "$results" && mkdir -p "$results"
    export DELIVERY_TEST_BROKER_REPORT="$results/broker.txt"
    # Fault-injection tests need the embedded cluster: excluded where the suite may use another broker
    # (DELIVERY_TEST_KAFKA=host:port or testcontainers, or a Docker engine that Testcontainers would use).
    filter="${DELIVERY_TEST_FILTER:-}"
    kafka="${DELIVERY_TEST_KAFKA:-}"
    if { [ -n "$kafka" ] && [ "$kafka" != "embedded" ]; } || { [ -z "$kafka" ] && { [ -n "${DOCKER_HOST:-}" ] || [ -S /var/run/docker.sock ]; }; }; then
      echo "[test] broker may not be the embedded cluster: fault-injection tests (trait Kafka=FaultInjection) excluded"
      filter="${filter:+($filter)&}Kafka!=FaultInjection"
    fi
    status=0
    for proj in "$root"/tests/*.Tests/*.csproj "$root"/samples/*.Tests/*.csproj; do
      name="$(basename "$proj" .csproj)"
      echo "== $name"
      if ! dotnet test "$proj" -c Release --no-build -nologo \
          --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
          --results-directory "$results" ${filter:+--filter "$filter"}; then
        status=1
      fi
    done
    if [ -f "$DELIVERY_TEST_BROKER_REPORT" ]; then
      echo "[test] Kafka broker used by the integration suite: $(cat "$DELIVERY_TEST_BROKER_REPORT")"
    fi
    read -r passed failed < <(python3 "$root/eng/count-tests.py" "$results")
    if [ "$passed" -eq 0 ]; then status=1; fi
    if [ "$failed" -ne 0 ]; then status=1; fi
    echo "tests: $passed passed, $failed failed"
    exit $status
    ;;
  pack)
    version="0.1.0"
    [ "${1:-}" = "--version" ] && version="$2"
    out="$root/artifacts/packages"
    rm -rf "$out" && mkdir -p "$out"
    # SourceLink needs the GitHub address: DELIVERY_REPOSITORY_URL, else a GitHub `origin` remote.
    url="${DELIVERY_REPOSITORY_URL:-$(git -C "$root" remote get-url origin 2>/dev/null || true)}"
    url="$(printf '%s' "$url" | sed -E 's#^git@github\.com:#https://github.com/#; s#\.git$##')"
    sourcelink=()
    if [[ "$url" =~ ^https://github\.com/[^/]+/[^/]+$ ]]; then
      sourcelink=(-p:DeliveryRepositoryUrl="$url" -p:SourceRevisionId="$(git -C "$root" rev-parse HEAD)" -p:ContinuousIntegrationBuild=true)
      echo "[pack] SourceLink to $url at $(git -C "$root" rev-parse --short HEAD)"
    else
      echo "[pack] no GitHub address (set DELIVERY_REPOSITORY_URL=https://github.com/ORG/REPO): packages without SourceLink" >&2
    fi
    for proj in $(python3 "$root/eng/packable.py" "$root"); do
      dotnet pack "$proj" -c Release -nologo -v:q -clp:ErrorsOnly -warnaserror -o "$out" -p:Version="$version" "${sourcelink[@]}"
    done
    ls -1 "$out"
    ;;
  sample-check)
    "$0" pack
    bash "$root/eng/sample-from-packages.sh"
    ;;
  bench)
    if ! command -v gnuplot >/dev/null 2>&1; then
      # The chart (docs/benchmarks/chart.png) is drawn with gnuplot from Debian.
      if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "[bench] installing gnuplot-nox (chart)" >&2
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq >/dev/null && apt-get install -y -qq gnuplot-nox >/dev/null; } \
          || echo "[bench] could not install gnuplot-nox: results without a chart" >&2
      else
        echo "[bench] gnuplot missing (sudo apt-get install -y gnuplot-nox): results without a chart" >&2
      fi
    fi
    dotnet build "$root/tests/Delivery.Benchmarks/Delivery.Benchmarks.csproj" -c Release -nologo -v:q -clp:ErrorsOnly
    # The worker runs in the harness process (and its memory child): give it the runtime settings of the image.
    export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"
    exec dotnet "$root/tests/Delivery.Benchmarks/bin/Release/net10.0/Delivery.Benchmarks.dll" "$@"
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    [ "$verb" = "help" ] || exit 2
    ;;
esac
