#!/usr/bin/env bash
# A/B timing of several builds of the CLI on one GPU machine, one after the other, so that their
# differences are not differences between machines. On any Linux machine with an NVIDIA GPU,
# Node and the Vulkan loader, from the project root (npm ci done):
#   bash bench/ab-run.sh OUTDIR 'NAME FLAGS…' ['NAME FLAGS…' …]
# NAME is a bundle dist-cli/ab/NAME/blr.mjs (esbuild of src/cli/main.ts at the commit or edit
# under test); FLAGS are added to `blr bench --preset llama-7b --reps 20`. Run i writes
# OUTDIR/i-NAME.json and its progress to OUTDIR/i-NAME.log, under a limit of LIMIT seconds
# (default 90). scripts/ab-table.ts turns OUTDIR into one table, a column per run.
set -uo pipefail
set -f # FLAGS are split into words below, never globbed
out=$1
shift
mkdir -p "$out"
source "$(dirname "$0")/gpu-env.sh"
name=$(gpu_name)
i=0
for spec in "$@"; do
  i=$((i + 1))
  read -r bundle flags <<< "$spec"
  start=$SECONDS
  # shellcheck disable=SC2086 # FLAGS are words on purpose
  timeout -k 10 "${LIMIT:-90}" node "dist-cli/ab/$bundle/blr.mjs" bench --preset llama-7b --reps 20 \
    --device-name "$name" --dawn "$dawn" $flags --out "$out/$i-$bundle.json" 2> "$out/$i-$bundle.log"
  rc=$?
  echo "$i $bundle ($flags): rc=$rc, $((SECONDS - start)) s"
done
