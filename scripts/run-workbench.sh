#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the workbench on the bundled example:
# installs what is missing, builds, opens examples/coffee-shop.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec ./build/bin/retort "${@:-examples/coffee-shop}"
