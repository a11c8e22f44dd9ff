#!/usr/bin/env bash
# The matrix units of one NVIDIA GPU through this project's stack, beside their own ceiling:
# peak.mjs (subgroupMatrixMultiplyAccumulate's throughput through Dawn and Vulkan, every
# config), mma-peak.cu (the same warp-level products in CUDA), a plain Vulkan cooperative-matrix
# GEMM where one is built (coopmat.sh, into .coopmat/ or COOPMAT_DIR), then gemm-mma.wgsl's tiles
# on the Llama-7B layers (matrix-tiles.mjs), the driver's statistics of gemm-mma where
# bench/pipeline-stats/ is built (OUTDIR/pipeline-stats.txt), and cuBLAS at the same shapes. On the GPU machine,
# from the project root, with the `webgpu` package and dist-cli/ (node scripts/build-cli.mjs):
#   bash bench/matrix-units/run.sh OUTDIR [tile variants] [structure:strategy,…]
# Writes OUTDIR/matrix-units.jsonl (every line printed) and prints it.
set -uo pipefail
out=$1
mkdir -p "$out"
source "$(dirname "$0")/../gpu-env.sh"
log=$out/matrix-units.jsonl
: > "$log"
{
  echo "{\"gpu\": \"$(gpu_name)\", \"driver\": \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n1)\"}"
  timeout 120 node bench/matrix-units/peak.mjs "$dawn"
  if command -v nvcc > /dev/null; then
    nvcc -O3 -arch=sm_90 -o /tmp/mma-peak bench/matrix-units/mma-peak.cu && timeout 60 /tmp/mma-peak
  fi
  if [ -x "${COOPMAT_DIR:-.coopmat}/vk_cooperative_matrix_perf" ]; then
    bash bench/matrix-units/coopmat.sh run "$out" "${COOPMAT_DIR:-.coopmat}"
  fi
  # the driver's account of gemm-mma at qkvo_proj (registers, spills), where pipeline-stats is built
  if [ -x dist-cli/tools/vk-pipeline-stats ]; then
    timeout 90 bash bench/pipeline-stats/run.sh "$out" --kernel dense --strategy tiled --m 4096 --n 4096 --tokens 1024 --dtype f16 --path matrix > /dev/null
    grep -E "^== pipeline|egister|pill|ocal|hared" "$out/pipeline-stats.txt" | head -40
  fi
  timeout "${TILES_LIMIT:-300}" node dist-cli/matrix-tiles.mjs "$dawn" "${2:-}" "${3:-}"
  if python3 -c 'import torch' 2> /dev/null; then
    timeout 90 python3 bench/torch_baseline.py --preset llama-7b --tokens 1024 --dtype bf16,f16 --reps 50 --no-compile --device-kind datacenter-gpu --out "$out/torch.json" 2>&1 |
      grep -E "dense|cublas" | head -20
  fi
} 2>&1 | tee -a "$log"
