#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer into a scratch copy (the real
# build/ is untouched) and runs the native tests against it. Not part of CI (slow, needs libasan).
#   bash packages/engine-cpu/scripts/sanitize.sh
set -euo pipefail
pkg="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
work="$(mktemp -d /tmp/engine-cpu-asan.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pkg"
cp -r "$pkg/binding.gyp" "$pkg/native" "$pkg/scripts" "$pkg/package.json" "$work/pkg/"
ln -s "$root/node_modules" "$work/node_modules"   # node-addon-api for the include path
# gyp's Makefiles append CXXFLAGS / LDFLAGS from the environment.
( cd "$work/pkg" && CXXFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g" \
  LDFLAGS="-fsanitize=address,undefined" node scripts/build-addon.mjs )
addon="$work/pkg/build/Release/atelier_engine_cpu.node"
[ -f "$addon" ] || { echo "sanitizer build failed: $(cat "$work/pkg/build/skip-reason.txt" 2>/dev/null)"; exit 1; }
syms="$(nm -D "$addon")"
grep -q __asan_ <<<"$syms" || { echo "the build is not instrumented (no __asan_ symbols)"; exit 1; }
grep -q __ubsan_ <<<"$syms" || { echo "the build is not instrumented (no __ubsan_ symbols)"; exit 1; }
# libasan must be the first library in the process; V8's own allocations are not ours to leak-check.
export LD_PRELOAD="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ATELIER_ENGINE_CPU_ADDON="$addon"
cd "$root"
for isa in avx512 avx2 portable; do
  echo "== sanitized native tests, GEMM micro-kernel: $isa (falls back to the best available)"
  ATELIER_ENGINE_CPU_ISA="$isa" npx vitest run packages/engine-cpu/src/gemm.test.ts packages/engine-cpu/src/native-kernels.test.ts \
    packages/engine-cpu/src/training-trajectory.test.ts packages/engine-cpu/src/addon-load.test.ts
done
echo "sanitizers: clean"
