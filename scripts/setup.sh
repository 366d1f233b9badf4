#!/usr/bin/env bash
# Makes a Debian 12 (or 13) machine ready to build, run and test Retort.
# Idempotent: safe to run again; runs as root or through sudo.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

. /etc/os-release
codename="${VERSION_CODENAME:-bookworm}"

qt_packages=(
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql qt6-svg-dev
  libqscintilla2-qt6-dev libkf6syntaxhighlighting-dev qt6-qpa-plugins
)
base_packages=(
  build-essential cmake ninja-build pkg-config git libgit2-dev
  python3 alembic python3-alembic python3-sqlalchemy python3-psycopg2
  postgresql postgresql-client sqlite3
)
optional_packages=(xvfb imagemagick appstream)

missing() {
  local p out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
  done
  echo "${out[@]:-}"
}

need_base=$(missing "${base_packages[@]}")
need_qt=$(missing "${qt_packages[@]}")
need_opt=""
if [ "${RETORT_SETUP_OPTIONAL:-1}" = 1 ]; then need_opt=$(missing "${optional_packages[@]}"); fi

if [ -z "$need_base$need_qt$need_opt" ]; then
  echo "setup: everything Retort needs is installed."
  exit 0
fi

qt_target=()
if [ "$codename" = bookworm ]; then
  # Debian 12 has no KF6: take Qt 6 / KF6 / QScintilla from Debian 13, pinned low so
  # nothing else is upgraded from it.
  if [ ! -f /etc/apt/sources.list.d/retort-trixie.sources ]; then
    $SUDO tee /etc/apt/sources.list.d/retort-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $SUDO tee /etc/apt/preferences.d/retort-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  fi
  qt_target=(-t trixie)
fi

$SUDO apt-get update -qq
if [ -n "$need_base$need_opt" ]; then
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $need_base $need_opt
fi
if [ -n "$need_qt" ]; then
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends "${qt_target[@]}" $need_qt
fi
echo "setup: done."
