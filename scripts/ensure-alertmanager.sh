#!/bin/sh
# Makes sure the notification tests have a real Prometheus Alertmanager (Debian's
# prometheus-alertmanager, 0.25 on bookworm): installs it with apt-get when missing. CI runs this
# as root on a fresh machine; elsewhere it uses sudo. LOOKBACK_ALERTMANAGER points the tests at
# another binary. Prints the binary's path on its last line.
set -eu

ALERTMANAGER="${LOOKBACK_ALERTMANAGER:-/usr/bin/prometheus-alertmanager}"

if [ -x "$ALERTMANAGER" ]; then
  echo "ensure-alertmanager: $("$ALERTMANAGER" --version 2>&1 | head -n 1)" >&2
  echo "$ALERTMANAGER"
  exit 0
fi

if [ -n "${LOOKBACK_ALERTMANAGER:-}" ]; then
  echo "ensure-alertmanager: LOOKBACK_ALERTMANAGER=$ALERTMANAGER is not an executable" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-alertmanager: no $ALERTMANAGER and no apt-get here; install Alertmanager and set LOOKBACK_ALERTMANAGER to it" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-alertmanager: installing prometheus-alertmanager needs root (or sudo)" >&2
    exit 1
  fi
fi

echo "ensure-alertmanager: installing prometheus-alertmanager with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# The package's post-install starts a service where an init system runs; none is wanted here.
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null
echo "ensure-alertmanager: $("$ALERTMANAGER" --version 2>&1 | head -n 1)" >&2
echo "$ALERTMANAGER"
