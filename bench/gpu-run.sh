#!/usr/bin/env bash
# Measures one GPU for the results feeds in public/feeds/: every kernel checked against the f64
# reference and the measured ceilings (gpu-verify.sh, fma-probe.mjs), the Llama-7B sweeps in f32
# and f16, fused low-rank, PyTorch's baselines and the paper's own Triton kernels. On any Linux
# machine with an NVIDIA GPU, Node ≥ 20.19 and the Vulkan loader (libvulkan1), from the project
# root after `npm ci && npm run build:cli` (the torch part also needs python3 with torch and CUDA;
# paper-triton needs triton too, and PAPER_REPO naming a checkout of the paper's repository,
# docs/feed.md: without it the part is skipped):
#   bash bench/gpu-run.sh OUTDIR [PARTS]
# PARTS, comma-separated (default: all, in this order):
#   verify, ceilings, wgsl-f32, wgsl-f16, wgsl-matrix, torch, wgsl-lowrank-fused, paper-triton
# wgsl-f16 runs on FMA units; wgsl-matrix runs f16 on the adapter's matrix units (subgroup
# matrices), skipped where it has none.
# The device is named by nvidia-smi unless DEVICE_NAME is set, and the files by its model:
# "NVIDIA H200" writes OUTDIR/h200-wgsl-f32.json, h200-wgsl-f16.json, h200-wgsl-matrix.json,
# h200-torch.json, h200-wgsl-lowrank-fused.json, h200-triton-paper.json, and h200-logs.tgz
# (verify.txt, roofline.json, info.json, ceilings.txt, each part's log). Each part runs under its
# own time limit (LIMIT_<part>, seconds), so that one slow part cannot hold up the others.
set -uo pipefail
out=$1
parts=${2:-verify,ceilings,wgsl-f32,wgsl-f16,wgsl-matrix,torch,wgsl-lowrank-fused,paper-triton}
source "$(dirname "$0")/gpu-env.sh"
name=$(gpu_name)
prefix=$(echo "$name" | sed -E 's/^(NVIDIA|AMD|Intel) //' | awk '{ print tolower($1) }')
tokens=1,16,128,1024,4096
reps=${REPS:-20}
mkdir -p "$out"
logs=$(mktemp -d)
declare -A limit=([verify]=${LIMIT_verify:-170} [ceilings]=${LIMIT_ceilings:-25} [wgsl-f32]=${LIMIT_wgsl_f32:-155}
  [wgsl-f16]=${LIMIT_wgsl_f16:-145} [wgsl-matrix]=${LIMIT_wgsl_matrix:-145} [torch]=${LIMIT_torch:-75}
  [wgsl-lowrank-fused]=${LIMIT_wgsl_lowrank_fused:-45} [paper-triton]=${LIMIT_paper_triton:-540})
echo "device: $name -> $out/$prefix-*"

bench() {
  node dist-cli/blr.mjs bench --preset llama-7b --tokens $tokens --reps "$reps" --device-name "$name" --dawn "$dawn" "$@"
}

run_part() {
  case $1 in
    verify) bash bench/gpu-verify.sh "$logs" ;;
    ceilings) node bench/fma-probe.mjs "$dawn" > "$logs/ceilings.txt" && cat "$logs/ceilings.txt" ;;
    wgsl-f32 | wgsl-f16)
      bench --dtype "${1#wgsl-}" --path fma --strategies tiled,unfused,partial,perm-fused --out "$out/$prefix-$1.json" ;;
    wgsl-matrix)
      if ! node dist-cli/blr.mjs info --dawn "$dawn" | grep -q '"input": *"f16"'; then
        echo "no f16 matrix-unit config on this adapter: wgsl-matrix skipped"; return 0
      fi
      bench --dtype f16 --path matrix --strategies tiled,unfused,partial,perm-fused --out "$out/$prefix-$1.json" ;;
    wgsl-lowrank-fused)
      bench --dtype f32,f16 --strategies fused --out "$out/$prefix-$1.json" ;;  # Monarch and BLAST fused do not fit at these shapes: skipped
    torch)
      # cuBLAS (TF32 off) and eager Monarch/BLAST; torch.compile compiles every shape anew, which
      # takes longer than the rest of the run (torch_baseline.py without --no-compile times it).
      python3 bench/torch_baseline.py --preset llama-7b --tokens $tokens --dtype f32,bf16 --reps 50 --no-compile \
        --device-kind datacenter-gpu --out "$out/$prefix-torch.json" ;;
    paper-triton)
      # The paper's Triton Monarch right_left and BLAST bmm, autotuned at each point's first run
      # (most of this part's time on a fresh machine; TRITON_CACHE_DIR kept between runs saves the compiles).
      if [ ! -f "${PAPER_REPO:-/nonexistent}/triton_funcs/blast_kernels.py" ]; then
        echo "paper-triton: skipped: PAPER_REPO=${PAPER_REPO:-(unset)} does not name a checkout of github.com/pabillam/mem-efficient-blr (docs/feed.md)"
        return 0
      fi
      python3 bench/paper_triton.py --repo "$PAPER_REPO" --preset llama-7b --reps 50 --device-kind datacenter-gpu \
        --out "$out/$prefix-triton-paper.json" ;;
    *) echo "unknown part '$1'" >&2; return 2 ;;
  esac
}

export out prefix tokens reps dawn logs name
export -f bench run_part
status=0
summary=""
for part in ${parts//,/ }; do
  start=$SECONDS
  # timeout signals the whole process group, node and python included.
  timeout "${limit[$part]:-120}" bash -c "run_part $part" 2>&1 | tee "$logs/$part.log" | grep -v '^\['
  rc=${PIPESTATUS[0]}
  summary+="$part: rc=$rc, $((SECONDS - start)) s"$'\n'
  [ "$rc" -eq 0 ] || status=1
done
tar czf "$out/$prefix-logs.tgz" -C "$logs" .
printf '%s' "$summary"
exit $status
