#!/usr/bin/env bash
# Produces the measured H100 feeds in public/feeds/. On the GPU machine, from the project root
# with .gpu/ (shared/gpu/prepare.sh) and dist-cli/ (npm run build:cli) carried along:
#   bash .gpu/remote.sh bash bench/h100-run.sh OUTDIR wgsl-f32|wgsl-f16|wgsl-lowrank-fused|torch
set -euo pipefail
out=$1
part=$2
tokens=1,16,128,1024,4096
dawn="enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia"
case $part in
  wgsl-f32 | wgsl-f16)
    node dist-cli/blr.mjs bench --preset llama-7b --tokens $tokens --dtype "${part#wgsl-}" --reps 30 \
      --out "$out/h100-$part.json" --device-name "NVIDIA H100 80GB HBM3" --dawn "$dawn" ;;
  wgsl-lowrank-fused)
    node dist-cli/blr.mjs bench --preset llama-7b --tokens $tokens --dtype f32,f16 --strategies fused --reps 30 \
      --out "$out/h100-$part.json" --device-name "NVIDIA H100 80GB HBM3" --dawn "$dawn" ;;
  torch)
    python3 bench/torch_baseline.py --preset llama-7b --tokens $tokens --dtype f32,bf16 --reps 50 \
      --device-kind datacenter-gpu --out "$out/h100-torch.json" ;;
  *) echo "unknown part '$part'" >&2; exit 2 ;;
esac
