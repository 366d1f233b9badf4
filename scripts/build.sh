#!/usr/bin/env bash
# Configures and builds Retort into ./build (Release with debug info), through ccache when
# it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
command -v ninja >/dev/null && config+=(-G Ninja)
command -v ccache >/dev/null && config+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${config[@]}"
fi
cmake --build build --parallel "${RETORT_BUILD_JOBS:-$(nproc)}"
