#!/bin/sh
# Makes sure the browser tests have Debian's Chromium (and Debian's Inter font, which Grafana's
# pages are drawn in): installs what is missing with apt-get. CI runs this as root on a fresh
# machine; elsewhere it uses sudo. LOOKBACK_CHROMIUM points the tests at another Chromium.
set -eu

CHROMIUM="${LOOKBACK_CHROMIUM:-/usr/bin/chromium}"
INTER_DIR=/usr/share/fonts/opentype/inter

missing=""
[ -x "$CHROMIUM" ] || missing="chromium"
[ -d "$INTER_DIR" ] || missing="$missing fonts-inter"

if [ -z "$missing" ]; then
  echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
  exit 0
fi

if [ -n "${LOOKBACK_CHROMIUM:-}" ] && [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: LOOKBACK_CHROMIUM=$CHROMIUM is not an executable" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: no $CHROMIUM and no apt-get here; install Chromium and set LOOKBACK_CHROMIUM to it" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: installing ${missing# } needs root (or sudo)" >&2
    exit 1
  fi
fi

echo "ensure-chromium: installing ${missing# } with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq $missing >/dev/null
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
