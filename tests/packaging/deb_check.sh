#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it into a scratch root (dpkg -x) and uses it from there:
# file list, Depends against the libraries the binaries really load, `retort --version`,
# `retort -c examples/coffee-shop history`, the man page, the bash completion, and the
# desktop file and AppStream data through their validators.
# Usage: deb_check.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -eu   # no pipefail: `ldconfig -p | awk ... exit` closes the pipe early on purpose
build=$1 src=$2 scratch=$3
fail() { printf 'deb_check: FAIL: %s\n' "$*" >&2; exit 1; }

rm -rf "$scratch"
mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/cpack" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$scratch"/cpack/retort_*.deb)
printf 'deb_check: built %s (%s bytes)\n' "$(basename "$deb")" "$(stat -c %s "$deb")"

# --- the file list, exactly ---------------------------------------------------------------
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' | sort >"$scratch/files"
diff -u "$src/tests/packaging/deb-files.txt" "$scratch/files" || fail "the package's file list differs from tests/packaging/deb-files.txt"

# --- Depends: every library the binaries load, by the package that ships it -----------------
depends=$(dpkg-deb -f "$deb" Depends)
printf 'deb_check: Depends: %s\n' "$depends"
root="$scratch/root"
dpkg -x "$deb" "$root"
for exe in "$root/usr/bin/retort" "$root/usr/bin/retort-workbench"; do
  # No RUNPATH into the build tree: the installed binaries run with the system's libraries.
  if readelf -d "$exe" | grep -qE 'R(UN)?PATH'; then fail "$(basename "$exe") carries an RPATH: $(readelf -d "$exe" | grep -E 'R(UN)?PATH')"; fi
  for lib in $(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|64bit/ { print $NF; exit }')
    [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
    [ -n "$path" ] || fail "$(basename "$exe") needs $lib, which is not on this system"
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1) || true
    [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1)
    printf '%s\n' "$depends" | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' | grep -qx "$pkg" ||
      fail "$(basename "$exe") loads $lib from package $pkg, which Depends does not name"
  done
done
printf '%s\n' "$depends" | grep -q 'libqt6sql6-sqlite' || fail "Depends lacks the SQLite driver plugin"
# libgit2 is not linked but opened by its SONAME on the first git question: Depends must name
# the package that ships that SONAME too.
git2=$(strings "$root/usr/bin/retort" | grep -m1 -x 'libgit2\.so\.[0-9.]*') || fail "retort names no libgit2 SONAME to open"
path=$(ldconfig -p | awk -v l="$git2" '$1 == l { print $NF; exit }')
[ -n "$path" ] || fail "retort opens $git2, which is not on this system"
pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1)
printf '%s\n' "$depends" | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' | grep -qx "$pkg" ||
  fail "retort opens $git2 from package $pkg, which Depends does not name"

# --- the installed retort runs, from the scratch root --------------------------------------
out=$("$root/usr/bin/retort" --version)
printf '%s\n' "$out" | sed 's/^/deb_check: --version: /'
qt=$(dpkg-query -W -f='${Version}' "$(dpkg -S "$(readlink -f "$(ldconfig -p | awk '$1 == "libQt6Core.so.6" { print $NF; exit }')")" | cut -d: -f1)" | sed 's/[+~-].*//')
ksh=$(dpkg-query -W -f='${Version}' "$(dpkg -S "$(readlink -f "$(ldconfig -p | awk '$1 == "libKF6SyntaxHighlighting.so.6" { print $NF; exit }')")" | cut -d: -f1)" | sed 's/[+~-].*//')
printf '%s\n' "$out" | grep -qx "retort $(dpkg-deb -f "$deb" Version)" || fail "--version does not name the package version"
printf '%s\n' "$out" | grep -qE "^Qt $qt \(built with [0-9.]+\)$" || fail "--version does not name Qt $qt (the installed one)"
printf '%s\n' "$out" | grep -qE "^KSyntaxHighlighting $ksh \(built with [0-9.]+\)$" || fail "--version does not name KSyntaxHighlighting $ksh"
git2v=$(dpkg-query -W -f='${Version}' "$pkg" | sed 's/[+~-].*//')
printf '%s\n' "$out" | grep -qE "^libgit2 $git2v \(built with [0-9.]+\)$" || fail "--version does not name libgit2 $git2v (the installed one)"
# The CLI starts without any GUI library.
if readelf -d "$root/usr/bin/retort" | grep -qE 'NEEDED.*(Gui|Widgets|qscintilla|SyntaxHighlighting)'; then fail "retort links GUI libraries"; fi

cd "$src/examples/coffee-shop"
"$root/usr/bin/retort" -c alembic.ini history >"$scratch/history.installed"
alembic history >"$scratch/history.alembic" 2>/dev/null
[ -s "$scratch/history.installed" ] || fail "installed retort history printed nothing"
diff -u "$scratch/history.alembic" "$scratch/history.installed" || fail "installed retort history differs from alembic history"
cd - >/dev/null

# Without a command the installed retort starts the installed retort-workbench beside it,
# which loads its libraries and plugins and keeps running (offscreen) until stopped.
set +e
QT_QPA_PLATFORM=offscreen timeout -s TERM 8 "$root/usr/bin/retort" "$src/examples/coffee-shop" >"$scratch/wb.log" 2>&1
rc=$?
set -e
[ "$rc" = 124 ] || { cat "$scratch/wb.log" >&2; fail "the installed retort did not start the installed workbench (exit $rc)"; }

# --- the man page: renders without warnings, has every command of the help text ------------
man=$root/usr/share/man/man1/retort.1.gz
warnings=$(zcat "$man" | groff -man -Tutf8 -ww -z 2>&1) || true
[ -z "$warnings" ] || fail "groff warns about retort.1: $warnings"
rendered=$(zcat "$man" | groff -man -Tutf8 2>/dev/null | sed 's/.\x08//g')
commands=$("$root/usr/bin/retort" help | awk '/^commands:$/ { on = 1; next } /^[a-z].*:$/ { on = 0 } on && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || fail "retort help lists no commands"
for c in $commands; do
  printf '%s\n' "$rendered" | grep -qE "^ +$c( |$)" || fail "the man page has no entry for '$c'"
done
for opt in --config --json --version; do
  printf '%s\n' "$rendered" | grep -q -- "$opt" || fail "the man page does not mention $opt"
done

# --- bash completion, as bash would call it -------------------------------------------------
complete_words() { # complete_words WORD... : COMPREPLY for the last word
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
    _retort; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$root/usr/share/bash-completion/completions/retort" "$@"
}
expect() { # expect "WORDS" WANTED...
  local words=$1; shift
  local got; got=$(complete_words $words "")
  for w in "$@"; do printf '%s\n' "$got" | grep -qx -- "$w" || fail "completing 'retort $words ' offers no '$w' (got: $(echo $got))"; done
}
for c in $commands; do
  got=$(complete_words retort "${c:0:3}")
  printf '%s\n' "$got" | grep -qx "$c" || fail "completing 'retort ${c:0:3}' does not offer '$c'"
done
expect "retort graph --format" ascii dot json
expect "retort plan" upgrade downgrade
got=$(complete_words retort heads --)
for w in --resolve-dependencies --verbose --config --json; do
  printf '%s\n' "$got" | grep -qx -- "$w" || fail "completing 'retort heads --' offers no '$w'"
done
got=$(cd "$src/examples/coffee-shop" && complete_words retort -c ale)
printf '%s\n' "$got" | grep -qx alembic.ini || fail "completing 'retort -c ale' offers no file alembic.ini"
got=$(complete_words retort -c x.ini gr)
printf '%s\n' "$got" | grep -qx graph || fail "completing after '-c x.ini' does not offer commands"

# --- desktop file and AppStream data ------------------------------------------------------
desktop-file-validate "$root/usr/share/applications/org.retort.Retort.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/org.retort.Retort.metainfo.xml" >"$scratch/as.log" 2>&1 ||
  { cat "$scratch/as.log" >&2; fail "appstreamcli validate"; }
# Debian's own package checker, where it is installed (it is not part of scripts/setup.sh).
if command -v lintian >/dev/null; then
  lintian --fail-on error,warning --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges' >"$scratch/lintian.log" || true
  [ ! -s "$scratch/lintian.log" ] || { cat "$scratch/lintian.log" >&2; fail "lintian"; }
  echo "deb_check: lintian: no errors, no warnings"
else
  echo "deb_check: lintian is not installed; not run"
fi
printf 'deb_check: all checks passed\n'
