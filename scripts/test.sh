#!/usr/bin/env bash
# One command from a fresh Debian 13 machine to a full test run: installs what is missing
# (scripts/setup.sh; on Debian 12 it first says what that would change and stops unless
# RETORT_ALLOW_DEBIAN13_LIBS=1), builds, runs every test (ctest). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cd build
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)" "$@"
