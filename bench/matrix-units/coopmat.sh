#!/usr/bin/env bash
# The stack's own GEMM ceiling on matrix units: a plain Vulkan cooperative-matrix GEMM, written
# in GLSL and run through the same NVIDIA Vulkan driver that runs gemm-mma.wgsl's SPIR-V, so
# that gemm-mma.wgsl is judged against what Vulkan itself reaches as well as against cuBLAS.
# The GEMM is jeffbolznv/vk_cooperative_matrix_perf (MIT, github.com/jeffbolznv/
# vk_cooperative_matrix_perf), an external project whose code stays out of this one: a checkout
# of it is built into an ignored folder (.coopmat/) that travels to the GPU machine.
#
# It times D = αAB + βC (A row-major; B row-major and column-major) with two kernels:
#   shmem      GL_KHR_cooperative_matrix, subgroup scope: 8 subgroups of 32 stage A and B tiles
#              in workgroup memory (one slab prefetched in registers) and multiply fragments of
#              each shape the driver advertises (on NVIDIA 16×16×16, 16×8×16, 16×8×8 for f16).
#              The same SPIR-V operations gemm-mma.wgsl compiles to through Dawn.
#   workgroup  GL_NV_cooperative_matrix2, workgroup scope (only where the driver has it): the
#              whole tile is one matrix and the driver does the staging. Not reachable from
#              WGSL; it shows how far the driver's own tiling goes.
# Tiles of 128 or 256 in M and N (not 256 × 256 with f32 accumulators), K slabs of 32 with f16
# accumulators and 16 with f32. Only the f16-input shaders (f16 and f32 accumulators) are copied
# into DIR, so the program skips the other types it finds advertised ("SKIP: … not found").
#
# Its sizes are square (--dim, default 4096). The build adds one environment variable to the
# copy it compiles, COOPMAT_M, which sets M alone, and prints M, N and K on each timing line;
# `run` times M = 1024, N = K = 4096 (Llama-7B qkvo_proj at T=1024, the shape of the matrix-unit
# tables). COOPMAT_M= (empty) gives the program's own square size.
#
# Its timing is host-side: ten dispatches with barriers between them in one submit, timed to
# the queue going idle, so submit latency (tens of µs against ~0.6 ms of work at 600 TFLOP/s)
# makes its TFLOP/s a few per cent low. Each case first fills its matrices with rand() on the
# CPU (0.6 s at this shape on a slow core), which is most of the run time: with the 16×16×16,
# 16×8×16 and 16×8×8 fragments and workgroups of 128 and 256 that is about 70 cases, 40–60 s;
# the square 4096 about twice that (raise COOPMAT_LIMIT). COOPMAT_ARGS=--shmem keeps the ~40
# KHR cases.
#
# Build (any Linux machine with cmake, g++ and libvulkan-dev; the program needs Vulkan headers
# with VK_KHR_cooperative_matrix (1.3.255 or later): where the system's are older, VULKAN_HEADERS
# names a checkout of github.com/KhronosGroup/Vulkan-Headers). CHECKOUT and VULKAN_HEADERS may
# be work trees or bare git repositories (their HEAD is used); CHECKOUT defaults to DIR/src,
# cloned from GitHub when absent:
#   [VULKAN_HEADERS=PATH] bash bench/matrix-units/coopmat.sh build [CHECKOUT] [DIR=.coopmat]
# DIR then holds the stripped binary, shaders/*.spv (the repository's own precompiled SPIR-V)
# and SOURCE (the commits it was built from).
#
# Run, on the GPU machine from the project root, with NVIDIA's Vulkan driver selected (e.g.
# VK_DRIVER_FILES naming its nvidia_icd.json; bench/matrix-units/run.sh calls it when .coopmat/
# or COOPMAT_DIR exists):
#   [COOPMAT_M=1024] [COOPMAT_DIM=4096] [COOPMAT_LIMIT=120] [COOPMAT_ARGS=--shmem] \
#     bash bench/matrix-units/coopmat.sh run OUTDIR [DIR=.coopmat]
# Saves the program's whole output to OUTDIR/coopmat.txt and prints JSON lines: for each kernel
# and type pair the best TFLOP/s with the fragment shape and tile that gave it, then the run's
# device, exit status (124: past COOPMAT_LIMIT) and number of cases timed. COOPMAT_ARGS passes
# options to the program (--shmem: the KHR kernel only; --barrier=off). It exits 1 when
# nothing was timed (no device with VK_KHR_cooperative_matrix, or the program failed).
# `summary OUTDIR/coopmat.txt` prints those lines again from a saved output.
set -uo pipefail

shaders="shmemfp16_fp16 shmemfp16_fp32 workgroupfp16_fp16 workgroupfp16_fp32"

# Copies the files of a work tree or a bare repository's HEAD into $2; a bare repository's only
# under the paths given after $2.
export_tree() {
  local from=$1 to=$2
  shift 2
  if [ -d "$from/.git" ] || [ ! -e "$from/HEAD" ]; then
    cp -r "$from"/. "$to"/
  else
    git --git-dir="$from" archive HEAD -- "$@" | tar x -C "$to"
  fi
}

revision() { git -C "$1" rev-parse HEAD 2> /dev/null || echo unknown; }

build() {
  local dir=${2:-.coopmat}
  local checkout=${1:-$dir/src}
  if [ ! -e "$checkout" ]; then
    git clone --depth 1 https://github.com/jeffbolznv/vk_cooperative_matrix_perf "$checkout" || return 1
  fi
  local work rc
  work=$(mktemp -d)
  build_in "$work" "$checkout" "$dir"
  rc=$?
  rm -rf "$work"
  return $rc
}

# Builds in the scratch folder $1 from the checkout $2 into $3.
build_in() {
  local work=$1 checkout=$2 dir=$3
  mkdir -p "$work/src" && export_tree "$checkout" "$work/src" || return 1

  local include=()
  if [ -n "${VULKAN_HEADERS:-}" ]; then
    mkdir -p "$work/headers" && export_tree "$VULKAN_HEADERS" "$work/headers" include ':!*.hpp' || return 1
    include=(-DVulkan_INCLUDE_DIR="$work/headers/include")
  elif ! grep -q VK_KHR_cooperative_matrix /usr/include/vulkan/vulkan_core.h 2> /dev/null; then
    echo "coopmat: /usr/include/vulkan lacks VK_KHR_cooperative_matrix; set VULKAN_HEADERS to a Vulkan-Headers checkout" >&2
    return 1
  fi

  # COOPMAT_M sets M alone; each timing line also names M, N and K.
  local cpp=$work/src/src/vk_cooperative_matrix_perf.cpp
  sed -i \
    -e 's|uint32_t defaultM = defaultDim;|uint32_t defaultM = getenv("COOPMAT_M") \&\& *getenv("COOPMAT_M") ? (uint32_t)strtoul(getenv("COOPMAT_M"), NULL, 10) : defaultDim;|' \
    -e 's|printf("TILE_M=%d|printf("M=%u N=%u K=%u ", testCase.M, testCase.N, testCase.K); printf("TILE_M=%d|' \
    "$cpp"
  if [ "$(grep -c 'COOPMAT_M\|printf("M=%u' "$cpp")" != 2 ]; then
    echo "coopmat: the program's source changed; COOPMAT_M could not be added" >&2
    return 1
  fi

  cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release "${include[@]}" > "$work/cmake.log" ||
    { cat "$work/cmake.log" >&2; return 1; }
  cmake --build "$work/build" -j2 || return 1

  mkdir -p "$dir/shaders"
  cp "$work/build/vk_cooperative_matrix_perf" "$dir/" && strip "$dir/vk_cooperative_matrix_perf"
  for s in $shaders; do cp "$work/src/shaders/$s.spv" "$dir/shaders/" || return 1; done
  {
    echo "vk_cooperative_matrix_perf $(revision "$checkout")"
    [ -n "${VULKAN_HEADERS:-}" ] && echo "Vulkan-Headers $(revision "$VULKAN_HEADERS")"
  } > "$dir/SOURCE"
  du -sh "$dir"
}

# From the program's output on stdin, one JSON line per kernel and type pair (its best TFLOP/s
# and the fragment and tile that gave it), then one of the run: the source, the device, the
# exit status $2 and the number of cases timed. $1 names the build. Fails when nothing was timed.
summary() {
  awk -v source="${1:-}" -v rc="${2:-0}" '
    function json(v) { gsub(/["\\]/, "", v); return "\"" v "\"" }
    function short(t) { sub(/^float/, "f", t); sub(/_t$/, "", t); return t }
    /^using physical device / { device = $0; sub(/^using physical device [0-9]+: /, "", device) }
    /^(couldn.t find|selected physical device)/ { problem = $0 }
    /^shader: / { kernel = ($2 ~ /workgroup/) ? "workgroup" : "shmem" }
    /^cooperativeMatrixProps = / { frag = $3; a = short($6); c = short($15) }
    / TFlops$/ {
      for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        sub(/,$/, "", kv[2])
        f[kv[1]] = kv[2]
      }
      key = kernel " " a " " c
      t = $(NF - 1) + 0
      if (!(key in best) || t > best[key]) {
        best[key] = t
        line[key] = sprintf("{\"config\": %s, \"kernel\": %s, \"a\": %s, \"c\": %s, \"%s\": %s, \"tile\": [%d, %d, %d], \"threads\": %d, \"bColMajor\": %s, \"mnk\": [%d, %d, %d], \"tflops\": %.1f}",
          json(frag " " a ">" c " (Vulkan " (kernel == "shmem" ? "KHR cooperative matrix, shmem" : "NV cooperative matrix 2, workgroup") ")"),
          json(kernel), json(a), json(c), kernel == "shmem" ? "fragment" : "granularity", json(frag),
          f["TILE_M"], f["TILE_N"], f["TILE_K"], f["workgroupSize"], f["BColMajor"] ? "true" : "false",
          f["M"], f["N"], f["K"], t)
      }
      n++
    }
    END {
      for (k in best) print line[k] | "sort"
      close("sort")
      printf "{\"coopmat\": %s, \"device\": %s, \"exit\": %d, \"cases\": %d%s}\n", json(source),
        json(device), rc, n, problem ? ", \"error\": " json(problem) : (n ? "" : ", \"error\": \"nothing timed\"")
      exit n ? 0 : 1
    }'
}

run() {
  local out=$1 dir=${2:-${COOPMAT_DIR:-.coopmat}}
  mkdir -p "$out"
  [ -x "$dir/vk_cooperative_matrix_perf" ] || { echo "coopmat: no build in $dir" >&2; return 1; }
  out=$(cd "$out" && pwd)
  # The program reads shaders/*.spv relative to its working directory.
  # shellcheck disable=SC2086
  (cd "$dir" && COOPMAT_M=${COOPMAT_M-1024} timeout "${COOPMAT_LIMIT:-120}" \
    ./vk_cooperative_matrix_perf --dim="${COOPMAT_DIM:-4096}" ${COOPMAT_ARGS:-}) > "$out/coopmat.txt" 2>&1
  local rc=$?
  summary "$(head -n1 "$dir/SOURCE" 2> /dev/null)" $rc < "$out/coopmat.txt"
}

case ${1:-} in
  build) shift; build "$@" ;;
  run) shift; [ $# -ge 1 ] || { echo "usage: $0 run OUTDIR [DIR]" >&2; exit 2; }; run "$@" ;;
  summary) summary "" 0 < "${2:?usage: $0 summary OUTDIR/coopmat.txt}" ;;
  *) echo "usage: $0 build [CHECKOUT] [DIR] | run OUTDIR [DIR] | summary FILE" >&2; exit 2 ;;
esac
