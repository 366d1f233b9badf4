#!/usr/bin/env bash
# scripts/setup.sh, checked without installing anything:
#  - its readers of `apt-cache policy` and `apt-get -s` on output captured from real machines
#    (tests/data/setup/: this partly upgraded Debian 12, a Debian 13 apt, a fresh Debian 12
#    made with debootstrap);
#  - other systems get the package list and the build commands, and nothing is run;
#  - on this machine, without the opt-in, apt is only ever asked to simulate, in a private
#    copy of its state, and nothing under /etc/apt changes.
# Usage: setup_check.sh SOURCE_DIR
set -euo pipefail
src=$1
data=$src/tests/data/setup
fail() { printf 'setup_check: FAIL: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../../scripts/setup.sh
source "$src/scripts/setup.sh"
set +e +o pipefail

# --- which Debian apt follows -------------------------------------------------------------
[ "$(default_release_of_policy <"$data/policy-partly-upgraded-bookworm.txt")" = bookworm ] ||
  fail "a Debian 12 apt with Debian 13 at priority 100 is not read as bookworm"
[ "$(default_release_of_policy <"$data/policy-trixie.txt")" = trixie ] || fail "a Debian 13 apt is not read as trixie"

# --- apt-get -s, a partly upgraded Debian 12 installing libcurl4-openssl-dev from Debian 13 --
sim=$data/partly-upgraded-trixie-libcurl4-openssl-dev.txt
[ "$(sim_upgrades <"$sim" | wc -l)" = 11 ] || fail "upgrades: $(sim_upgrades <"$sim" | wc -l), want 11"
[ "$(sim_new <"$sim" | wc -l)" = 15 ] || fail "new packages: $(sim_new <"$sim" | wc -l), want 15"
[ "$(sim_removed <"$sim")" = libext2fs2 ] || fail "removed: $(sim_removed <"$sim"), want libext2fs2"
sim_upgrades <"$sim" | grep -qx 'libkrb5-3 1.20.1-2+deb12u3 -> 1.21.3-5+deb13u1' || fail "upgrade line for libkrb5-3"
sim_new <"$sim" | grep -qx 'libext2fs2t64' || fail "libext2fs2t64 is new"
[ -z "$(sim_upgrades <"$data/partly-upgraded-bookworm-libcurl4-openssl-dev.txt")" ] || fail "a failed simulation lists upgrades"
plan_uses_debian13 <"$sim" || fail "a plan with Debian 13 packages is not seen as one"
plan_uses_debian13 <"$data/partly-upgraded-bookworm-libcurl4-openssl-dev.txt" && fail "a plan without Debian 13 packages is seen as one"

# --- apt-get -s on a fresh Debian 12 (debootstrap --variant=minbase bookworm), Qt from Debian 13
sim=$data/fresh-bookworm-trixie-qt.txt
n=$(sim_upgrades <"$sim" | wc -l)
[ "$n" = "$(grep -c '^Inst [^ ]* \[' "$sim")" ] || fail "fresh Debian 12: $n upgrades, grep counts $(grep -c '^Inst [^ ]* \[' "$sim")"
notable=$(sim_notable <"$sim")
for p in libc6 libsystemd0 libstdc++6 base-files; do
  printf '%s\n' "$notable" | grep -qw -- "$p" || fail "fresh Debian 12: '$p' is not among the named upgrades ($notable)"
done
sim_upgrades <"$sim" | grep -q '^libc6 2\.36-.* -> 2\.41-' || fail "fresh Debian 12: libc6 2.36 -> 2.41 not listed"

# --- this machine: without the opt-in apt only simulates, in a sandbox ---------------------
shims=$(mktemp -d)
trap 'rm -rf "$shims"' EXIT
# apt-get and apt record every call; only simulations and the sandbox's update reach the real
# apt-get, anything else is refused, so this test cannot change the machine whatever it finds.
for tool in apt-get apt; do
  cat >"$shims/$tool" <<SHIM
#!/bin/bash
printf '%s\n' "\$*" >>"$shims/calls"
case " \$* " in
  *" -s "*|*Dir::State::Lists=/tmp/retort-setup-apt.*" update "*) exec /usr/bin/$tool "\$@" ;;
esac
echo "refused by setup_check: $tool \$*" >&2
exit 100
SHIM
  chmod +x "$shims/$tool"
done
printf '#!/bin/sh\necho "sudo $*" >>"%s/calls"; exit 1\n' "$shims" >"$shims/sudo"; chmod +x "$shims/sudo"
# --- another system: a list and the build commands, exit 2, nothing run -------------------
for os in fedora ubuntu; do
  out=$(PATH="$shims:$PATH" RETORT_SETUP_OS_RELEASE="$data/os-release-$os.txt" /bin/bash "$src/scripts/setup.sh" 2>&1)
  rc=$?
  [ "$rc" = 2 ] || fail "$os: exit $rc, want 2: $out"
  for want in "KF6 SyntaxHighlighting" "QScintilla for Qt 6" "Qt >= 6.4" "Alembic" "PostgreSQL" "cmake -S . -B build"; do
    printf '%s\n' "$out" | grep -qF "$want" || fail "$os: the message does not say '$want'"
  done
  [ ! -f "$shims/calls" ] || fail "$os: apt or sudo was called: $(cat "$shims/calls")"
done

before=$(find /etc/apt -type f -exec md5sum {} + | sort)
release=$(apt_default_release)
if [ "$release" = bookworm ]; then
  # A package only Debian 13 has, not installed here: the partial-upgrade path, whatever
  # else this machine has or lacks.
  extra=""
  for p in libkf6coreaddons-dev libkf6config-dev libkf6i18n-dev libkf6widgetsaddons-dev; do
    if ! installed "$p"; then extra=$p; break; fi
  done
  [ -n "$extra" ] || { echo "setup_check: every Debian-13-only probe package is installed; the sandbox run is skipped"; exit 77; }
  out=$(PATH="$shims:$PATH" RETORT_ALLOW_DEBIAN13_LIBS=0 bash -c '
    source "$1"; base_packages+=("$2"); main' _ "$src/scripts/setup.sh" "$extra" 2>&1)
  rc=$?
  if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "could not read Debian's package lists"; then
    echo "setup_check: Debian's archive is not reachable; the sandbox run is skipped"; exit 77
  fi
  [ "$rc" = 3 ] || fail "without the opt-in: exit $rc, want 3: $out"
  for want in "partial upgrade to Debian 13" "RETORT_ALLOW_DEBIAN13_LIBS=1" "$extra" "Nothing was installed" "wiki.debian.org"; do
    printf '%s\n' "$out" | grep -qF "$want" || fail "without the opt-in the message does not say '$want': $out"
  done
  printf '%s\n' "$out" | grep -qE 'upgrades [0-9]+ installed system packages' || fail "no count of upgrades: $out"
else
  out=$(PATH="$shims:$PATH" bash -c 'source "$1"; base_packages+=(libkf6coreaddons-dev); main --dry-run' _ "$src/scripts/setup.sh" 2>&1)
  rc=$?
  [ "$rc" = 0 ] || fail "--dry-run on Debian 13: exit $rc: $out"
fi
if [ -f "$shims/calls" ]; then
  while read -r call; do
    case "$call" in
      sudo*) fail "sudo was called: $call" ;;
      *Dir::State::Lists=/tmp/retort-setup-apt.*) ;;                 # the sandbox
      *" -s "*|-s\ *|*" -s") [[ $call == *"Dir::State::Lists="* ]] || fail "a simulation outside the sandbox: $call" ;;
      *) fail "apt was asked to change something: $call" ;;
    esac
  done <"$shims/calls"
fi
[ "$before" = "$(find /etc/apt -type f -exec md5sum {} + | sort)" ] || fail "files under /etc/apt changed"
ls -d /tmp/retort-setup-apt.* >/dev/null 2>&1 && fail "the apt sandbox was left behind: $(ls -d /tmp/retort-setup-apt.*)"
echo "setup_check: all checks passed ($release)"
