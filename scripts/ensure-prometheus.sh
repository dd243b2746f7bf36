#!/bin/sh
# Makes sure the metrics tests have a real Prometheus server (Debian's prometheus, 2.42 on
# bookworm): installs it with apt-get when missing. CI runs this as root on a fresh machine;
# elsewhere it uses sudo. LOOKBACK_PROMETHEUS points the tests at another binary. Prints the
# binary's path on its last line.
set -eu

PROMETHEUS="${LOOKBACK_PROMETHEUS:-/usr/bin/prometheus}"

if [ -x "$PROMETHEUS" ]; then
  echo "ensure-prometheus: $("$PROMETHEUS" --version 2>&1 | head -n 1)" >&2
  echo "$PROMETHEUS"
  exit 0
fi

if [ -n "${LOOKBACK_PROMETHEUS:-}" ]; then
  echo "ensure-prometheus: LOOKBACK_PROMETHEUS=$PROMETHEUS is not an executable" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus: no $PROMETHEUS and no apt-get here; install Prometheus and set LOOKBACK_PROMETHEUS to it" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-prometheus: installing prometheus needs root (or sudo)" >&2
    exit 1
  fi
fi

echo "ensure-prometheus: installing prometheus with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# Only the server: the recommended exporters and the service the package would start are not wanted.
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "ensure-prometheus: $("$PROMETHEUS" --version 2>&1 | head -n 1)" >&2
echo "$PROMETHEUS"
