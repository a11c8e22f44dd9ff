#!/usr/bin/env bash
# GPU timestamps rounded as a stock browser rounds them, against unrounded, on one GPU machine,
# one run after the other: blr bench at Llama-7B qkvo_proj, T = 1, 16, 1024, dense tiled,
# Monarch partial and BLAST partial, f32 and f16; first with Dawn's timestamp rounding off (blr's
# default), then on (65.5 µs steps; Chrome's are 100 µs). With batches of runs long enough for
# the timer (src/lib/gpu/timing.ts), the two should agree within 10 %. On a Linux machine with
# an NVIDIA GPU, Node and the Vulkan loader, from the project root after `npm run build:cli`:
#   bash bench/quantised-run.sh OUTDIR
# writes OUTDIR/1-unquantised.json and OUTDIR/2-quantised.json with their progress logs (.log);
# then `npx tsx scripts/ab-table.ts OUTDIR` puts each point's medians side by side.
set -uo pipefail
out=$1
mkdir -p "$out"
source "$(dirname "$0")/gpu-env.sh"
name=$(gpu_name)
for run in 1-unquantised 2-quantised; do
  toggles=$dawn
  [ "$run" = 2-quantised ] && toggles="$dawn,timestamp_quantization"
  echo "$run: --dawn \"$toggles\""
  node dist-cli/blr.mjs bench --preset llama-7b --layer qkvo_proj --tokens 1,16,1024 --structures dense,monarch,blast \
    --strategies tiled,partial --reps "${REPS:-30}" --device-name "$name" --dawn "$toggles" --out "$out/$run.json" 2> "$out/$run.log"
  echo "exit $?; $(tail -n 1 "$out/$run.log")"
done
