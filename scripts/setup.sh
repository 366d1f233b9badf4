#!/usr/bin/env bash
# Makes a machine ready to build, run and test Retort, and says what it will change first.
#
#   Debian 13 (trixie): installs the missing packages from Debian 13 itself. No extra sources,
#     no pinning.
#   Debian 12 (bookworm): Debian 12 has no KF6 and an older Qt; Retort's Qt 6.8 / KF6 /
#     QScintilla come from Debian 13 and need Debian 13's C library, so installing them is a
#     partial upgrade to Debian 13 (the C library, systemd and many other system packages).
#     The script works out with `apt-get -s` what that would change on this machine, prints
#     it and stops -- unless you opt in with --allow-debian13-libs or RETORT_ALLOW_DEBIAN13_LIBS=1
#     (.ci/run and throwaway machines do). Nothing is installed and nothing is added to apt's
#     sources before that. Opted in, everything missing is one `apt-get install -t trixie`,
#     the transaction that was simulated.
#   Anything else: prints the packages Retort needs and the CMake commands to build it.
#
# Usage: scripts/setup.sh [--allow-debian13-libs] [--dry-run] [--help]
#   --dry-run   only say what would be installed (on any system); change nothing.
# Idempotent: when everything is installed it changes nothing. Runs as root or through sudo.
set -euo pipefail

# Qt / KF6 / QScintilla: on Debian 12 these can only come from Debian 13.
qt_packages=(
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql qt6-svg-dev
  libqscintilla2-qt6-dev libkf6syntaxhighlighting-dev qt6-qpa-plugins
)
# Build tools, the Alembic oracle, the test servers and the tools the tests drive.
# libclang-rt-NN-dev (libFuzzer) is added for the clang that is (or will be) installed.
base_packages=(
  build-essential cmake ninja-build pkg-config git libgit2-dev
  python3 alembic python3-alembic python3-sqlalchemy python3-psycopg2 python3-pymysql
  postgresql postgresql-client mariadb-server mariadb-client sqlite3
  clang xvfb xdotool imagemagick appstream desktop-file-utils dpkg-dev
)
# Packages whose maintainer scripts start a system service. The tests start throwaway servers
# of their own; a system instance is never used, so none is left running.
service_packages=(postgresql mariadb-server)
service_units=(postgresql mariadb)

readonly trixie_sources=/etc/apt/sources.list.d/retort-trixie.sources
readonly trixie_pin=/etc/apt/preferences.d/retort-trixie
readonly read_more="README.md, section \"Debian 12\", and https://wiki.debian.org/DontBreakDebian"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit "${2:-1}"; }

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing() {
  local p
  for p in "$@"; do installed "$p" || printf '%s\n' "$p"; done
}

# --- reading `apt-get -s` -----------------------------------------------------------------
# `apt-get -s install` prints one line per action:
#   Inst libc6 [2.36-9+deb12u10] (2.41-12 Debian:13.8/stable [amd64]) []   an upgrade
#   Inst libqt6core6t64 (6.8.2+dfsg-9 Debian:13.8/stable [amd64])          a new package
#   Remv libcurl4 [7.88.1-10+deb12u12] [...]                                a removal
# These read that from stdin.

# "name old -> new" for every upgrade.
sim_upgrades() {
  awk '$1 == "Inst" && $3 ~ /^\[/ { old = $3; gsub(/[][]/, "", old); new = $4; sub(/^\(/, "", new); print $2, old, "->", new }'
}
# Names of new packages.
sim_new() {
  awk '$1 == "Inst" && $3 !~ /^\[/ { print $2 }'
}
# Names of removed packages.
sim_removed() {
  awk '$1 == "Remv" { print $2 }'
}
# The system packages most people know, among the upgraded ones, comma separated.
sim_notable() {
  sim_upgrades | awk '{ print $1 }' | sed 's/:.*//' |
    grep -xE 'libc6|libc-bin|systemd|systemd-sysv|libsystemd0|udev|dpkg|apt|libapt-pkg[0-9.]*|base-files|bash|coreutils|openssl|libssl3|openssh-client|openssh-server|libstdc\+\+6|gcc-[0-9]+-base|perl-base|python3|sudo|login|passwd|util-linux|tar|gzip|init-system-helpers' |
    paste -sd, - | sed 's/,/, /g' || true
}

# --- where apt stands ---------------------------------------------------------------------
# The Debian release apt installs from by default (priority 500): "bookworm", "trixie", ...
# /etc/os-release is not enough: after a partial upgrade base-files says 13 while apt still
# follows Debian 12.
apt_default_release() {
  LC_ALL=C apt-cache policy 2>/dev/null | default_release_of_policy
}
# Reads `apt-cache policy` from stdin.
default_release_of_policy() {
  awk '
    /^ *[0-9]+ / { prio = $1; next }
    /^ *release / && prio >= 500 && /o=Debian,/ && /l=Debian,/ {
      if (match($0, /n=[a-z-]+/)) { n = substr($0, RSTART + 2, RLENGTH - 2); if (n !~ /-/) { print n; exit } }
    }'
}

# apt options for a private copy of apt's state with Debian 13 added, pinned low, for
# simulating a Debian 12 install without touching the machine's sources.
sandbox=""
sandbox_opts=()
own_policy=""   # a policy-rc.d of ours, while apt runs
SUDO=""
cleanup() {
  if [ -n "$sandbox" ]; then rm -rf "$sandbox"; fi
  if [ -n "$own_policy" ]; then $SUDO rm -f "$own_policy"; fi
}
trap cleanup EXIT
make_sandbox() {
  sandbox=$(mktemp -d /tmp/retort-setup-apt.XXXXXX)
  mkdir -p "$sandbox/sources.list.d" "$sandbox/preferences.d" "$sandbox/lists/partial" "$sandbox/cache/archives/partial"
  cp -a /etc/apt/sources.list.d/. "$sandbox/sources.list.d/" 2>/dev/null || true
  cp -a /etc/apt/preferences.d/. "$sandbox/preferences.d/" 2>/dev/null || true
  [ -f "$trixie_sources" ] || write_trixie_sources "$sandbox/sources.list.d/retort-trixie.sources"
  [ -f "$trixie_pin" ] || write_trixie_pin "$sandbox/preferences.d/retort-trixie"
  cp -a /var/lib/apt/lists/. "$sandbox/lists/" 2>/dev/null || true
  rm -f "$sandbox/lists/lock"
  sandbox_opts=(-o Dir::Etc::SourceParts="$sandbox/sources.list.d" -o Dir::Etc::PreferencesParts="$sandbox/preferences.d"
                -o Dir::State::Lists="$sandbox/lists" -o Dir::Cache="$sandbox/cache" -o Debug::NoLocking=1
                -o APT::Sandbox::User="$(id -un)")
  LC_ALL=C apt-get "${sandbox_opts[@]}" -qq update >"$sandbox/update.log" 2>&1
}

write_trixie_sources() {
  cat >"$1" <<'SRC'
# Added by Retort's scripts/setup.sh (opted in with RETORT_ALLOW_DEBIAN13_LIBS=1):
# Qt 6.8 / KF6 / QScintilla for Debian 12 come from Debian 13.
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}
# Priority 100: Debian 13 is used only where asked for (-t trixie) or where nothing else
# satisfies a dependency, so a later `apt upgrade` does not move the rest of the system.
write_trixie_pin() {
  cat >"$1" <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
}

# The libFuzzer runtime that matches clang: libclang-rt-NN-dev for clang's clang-NN.
# $@: apt options (a release target, a sandbox).
clang_rt_package() {
  local deps
  if installed clang; then
    deps=$(dpkg-query -W -f='${Depends}' clang)
  else
    deps=$(LC_ALL=C apt-cache "$@" depends clang 2>/dev/null | awk '$1 == "Depends:" { print $2 }')
  fi
  local nn
  nn=$(printf '%s\n' "$deps" | grep -oE 'clang-[0-9]+' | head -n1 | cut -d- -f2)
  if [ -n "$nn" ]; then printf 'libclang-rt-%s-dev\n' "$nn"; fi
}

# Would `apt-get install $@` succeed with Debian 12's packages alone? apt may plan to take a
# package from Debian 13 even at priority 100 (where Debian 12 has none), so the plan is read.
installs_from_default() {
  local plan
  plan=$(LC_ALL=C apt-get "${apt_opts[@]}" -s install --no-install-recommends "$@" 2>/dev/null) || return 1
  ! printf '%s\n' "$plan" | plan_uses_debian13
}
# Reads `apt-get -s` output: does any Inst line come from Debian 13?
plan_uses_debian13() {
  grep -qE '^Inst .*\((\S+) Debian(-Security)?:1[3-9]'
}

print_other_system() {
  cat <<EOF
setup: this is not Debian 12 or 13 ($1); the script installs nothing here.
Retort needs, from your system's packages:
  - a C++20 compiler, CMake >= 3.22, Ninja, pkg-config, git, libgit2 (headers)
  - Qt >= 6.4: Core, Gui, Widgets, Sql (with the SQLite and PostgreSQL drivers), Svg, Test
  - QScintilla for Qt 6, KF6 SyntaxHighlighting
  - Python 3 with Alembic and SQLAlchemy (psycopg2 and PyMySQL for the database tests)
  - for the tests: PostgreSQL server and client, MariaDB server and client, sqlite3,
    clang with libFuzzer, Xvfb, xdotool, ImageMagick, appstream, desktop-file-utils
  (Debian/Ubuntu names: ${qt_packages[*]} ${base_packages[*]} libclang-rt-NN-dev)
Once they are there, build and test with:
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build build
  cd build && QT_QPA_PLATFORM=offscreen ctest --output-on-failure
EOF
}

# Installs with maintainer scripts' service starts refused (policy-rc.d), then makes sure
# the services this run installed are neither running nor started at boot.
# $1: packages to install as a space-separated list, rest: apt-get options.
apt_install() {
  local pkgs=$1; shift
  local new_services=() i
  for i in "${!service_packages[@]}"; do
    if printf '%s\n' $pkgs | grep -qx "${service_packages[$i]}"; then new_services+=("${service_units[$i]}"); fi
  done
  local policy=/usr/sbin/policy-rc.d
  if [ ${#new_services[@]} -gt 0 ] && [ ! -e "$policy" ]; then
    own_policy=$policy   # removed by cleanup() however this ends
    printf '#!/bin/sh\n# Temporary, from Retort scripts/setup.sh: no service starts while installing.\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
  fi
  local rc=0
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q --no-install-recommends "$@" $pkgs || rc=$?
  if [ -n "$own_policy" ]; then $SUDO rm -f "$own_policy"; own_policy=""; fi
  [ "$rc" = 0 ] || die "apt-get install failed (exit $rc)." "$rc"
  if [ ${#new_services[@]} -gt 0 ]; then
    if [ -d /run/systemd/system ]; then
      $SUDO systemctl disable --now "${new_services[@]}" >/dev/null 2>&1 || true
    fi
    say "installed ${new_services[*]} with the system service stopped and not enabled: the tests"
    say "start throwaway servers of their own. (To use the system one: systemctl enable --now ${new_services[*]})"
  fi
}

main() {
  local allow="${RETORT_ALLOW_DEBIAN13_LIBS:-0}" dry_run=0 a
  for a in "$@"; do
    case "$a" in
      --allow-debian13-libs) allow=1 ;;
      --dry-run) dry_run=1 ;;
      -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option '$a' (try --help)" 2 ;;
    esac
  done

  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive

  local id="unknown" version_id="" pretty="an unknown system"
  local os_release=${RETORT_SETUP_OS_RELEASE:-/etc/os-release}   # another file: for tests
  if [ -r "$os_release" ]; then
    # shellcheck disable=SC1090
    . "$os_release"
    id="${ID:-unknown}"; version_id="${VERSION_ID:-}"; pretty="${PRETTY_NAME:-$id}"
  fi
  if [ "$id" != debian ] || ! command -v apt-get >/dev/null; then
    print_other_system "$pretty"
    exit 2
  fi

  local release
  release=$(apt_default_release)
  [ -n "$release" ] || release="${VERSION_CODENAME:-}"
  case "$release" in
    trixie|forky|sid) platform=native ;;
    bookworm) platform=bookworm ;;
    *) print_other_system "$pretty, apt follows '${release:-nothing}'"; exit 2 ;;
  esac

  # Nothing to do? (Answered from dpkg alone: no apt lists needed.)
  local need_fixed rt=""
  need_fixed=$(missing "${qt_packages[@]}" "${base_packages[@]}")
  if installed clang; then rt=$(clang_rt_package); fi
  if [ -z "$need_fixed" ] && [ -n "$rt" ] && installed "$rt"; then
    say "everything Retort needs is installed; nothing to do."
    exit 0
  fi

  apt_opts=()
  if [ "$platform" = bookworm ]; then
    if [ "$allow" = 1 ] && [ "$dry_run" = 0 ]; then
      add_trixie_source
    else
      # Until the user opts in, everything simulates in a private copy of apt's state.
      make_sandbox || die "could not read Debian's package lists ($(tail -n1 "$sandbox/update.log")); nothing was changed."
      apt_opts=("${sandbox_opts[@]}")
    fi
  elif [ "$dry_run" = 0 ]; then
    $SUDO apt-get update -q
  fi

  local need_qt need_base
  need_qt=$(missing "${qt_packages[@]}")
  need_base=$(missing "${base_packages[@]}")

  if [ "$platform" = native ]; then
    [ -n "$rt" ] || rt=$(clang_rt_package)
    [ -n "$rt" ] || die "apt knows no package clang; is the package list current? (apt-get update)"
    installed "$rt" || need_base=$(printf '%s\n' $need_base "$rt")
    if [ "$dry_run" = 1 ]; then
      say "Debian ${version_id:-$release}: would install from Debian's own packages:"
      say "  $(echo $need_qt $need_base)"
      exit 0
    fi
    say "Debian ${version_id:-$release}: installing from Debian's own packages:"
    say "  $(echo $need_qt $need_base)"
    apt_install "$need_qt $need_base"
    say "done."
    exit 0
  fi

  # Debian 12. With Retort's libraries already there, what is missing may still come from
  # Debian 12 alone, and then Debian 13 is not involved at all.
  local state="Debian 12 (bookworm)"
  [ "$version_id" = 13 ] && state="Debian 12 (bookworm) already partly upgraded to Debian 13 packages (/etc/os-release says 13; apt follows bookworm)"
  if [ -z "$need_qt" ]; then
    local rt12=$rt rest
    [ -n "$rt12" ] || rt12=$(clang_rt_package "${apt_opts[@]}")
    rest=$(echo $need_base)
    if [ -n "$rt12" ] && ! installed "$rt12"; then rest="$rest $rt12"; fi
    # shellcheck disable=SC2086
    if installs_from_default $rest; then
      if [ "$dry_run" = 1 ]; then say "this is $state. Would install from Debian 12: $rest"; exit 0; fi
      say "this is $state. Installing from Debian 12: $rest"
      [ "$allow" = 1 ] || $SUDO apt-get update -q
      apt_install "$rest"
      say "done."
      exit 0
    fi
  fi

  # Otherwise everything missing comes from Debian 13 in one apt transaction (-t trixie):
  # once Debian 13's C library is in, Debian 12's own builds of the rest (PostgreSQL 15,
  # clang 14, libgit2, ...) mostly no longer install, and one transaction is one plan that
  # apt-get -s shows exactly. libclang-rt is then the one for Debian 13's clang.
  [ -n "$rt" ] || rt=$(clang_rt_package "${apt_opts[@]}" -t trixie)
  [ -n "$rt" ] || die "apt knows no package clang in Debian 13; is the package list current?"
  installed "$rt" || need_base=$(printf '%s\n' $need_base "$rt")
  local all sim n_up n_new n_rm notable
  all=$(echo $need_qt $need_base)
  # shellcheck disable=SC2086
  sim=$(LC_ALL=C apt-get "${apt_opts[@]}" -s install --no-install-recommends -t trixie $all 2>&1) ||
    die "apt cannot work out the install (nothing was changed):
$(printf '%s\n' "$sim" | tail -n 8)"
  n_up=$(printf '%s\n' "$sim" | sim_upgrades | wc -l)
  n_new=$(printf '%s\n' "$sim" | sim_new | wc -l)
  n_rm=$(printf '%s\n' "$sim" | sim_removed | wc -l)
  notable=$(printf '%s\n' "$sim" | sim_notable)
  say "this is $state."
  if [ -n "$need_qt" ]; then
    say "Retort's Qt 6.8 / KF6 SyntaxHighlighting / QScintilla libraries are not in Debian 12;"
    say "they come from Debian 13 (trixie) and need Debian 13's C library."
  else
    say "What is missing does not install from Debian 12 alone on this machine (Debian 12 lacks"
    say "it, or its build does not install beside the Debian 13 libraries already here), so it"
    say "comes from Debian 13 as well."
  fi
  say "On this machine apt-get -s says that installing from Debian 13"
  say "  $all"
  say "upgrades $n_up installed system packages to their Debian 13 versions${notable:+, among them $notable};"
  say "it installs $n_new new packages and removes $n_rm. That is a partial upgrade to Debian 13,"
  say "which apt cannot undo. Read more: $read_more."
  say "The upgrades:"
  printf '%s\n' "$sim" | sim_upgrades | sed 's/^/setup:   /'
  if [ "$n_rm" -gt 0 ]; then
    say "Removed (replaced by their Debian 13 successors):"
    printf '%s\n' "$sim" | sim_removed | sed 's/^/setup:   /'
  fi
  if [ "$allow" != 1 ]; then
    {
      say "Nothing was installed and apt's sources were not changed."
      say "To go ahead on this machine:  RETORT_ALLOW_DEBIAN13_LIBS=1 scripts/setup.sh"
      say "                         (or  scripts/setup.sh --allow-debian13-libs)"
      say "Or use Debian 13, where Retort's libraries are the system's own."
    } >&2
    exit 3
  fi
  if [ "$dry_run" = 1 ]; then exit 0; fi
  say "opted in (RETORT_ALLOW_DEBIAN13_LIBS=1): installing from Debian 13."
  apt_install "$all" -t trixie
  say "done."
}

# Opted in on Debian 12: Debian 13 as an apt source, pinned low.
add_trixie_source() {
  if [ ! -f "$trixie_sources" ]; then
    say "adding $trixie_sources (Debian 13, pinned at priority 100 in $trixie_pin)"
    write_trixie_sources /dev/stdout | $SUDO tee "$trixie_sources" >/dev/null
    write_trixie_pin /dev/stdout | $SUDO tee "$trixie_pin" >/dev/null
  fi
  $SUDO apt-get update -q
}

# Run only when executed, so tests can source the functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
