#!/usr/bin/env bash
# One command from a fresh Debian 13 machine to the workbench on the bundled example:
# installs what is missing (scripts/setup.sh; on Debian 12 it first says what that would
# change and stops unless RETORT_ALLOW_DEBIAN13_LIBS=1), builds, opens examples/coffee-shop.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec ./build/bin/retort "${@:-examples/coffee-shop}"
