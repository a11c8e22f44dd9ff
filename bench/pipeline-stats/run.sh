#!/usr/bin/env bash
# The driver's own account (registers, spills, …) of every compute pipeline that one `blr verify`
# builds: Dawn dumps the SPIR-V it generates (`dump_shaders`), spirv-as assembles it, and
# vk-pipeline-stats compiles it again with VK_KHR_pipeline_executable_properties. On the GPU
# machine, from the project root, with dist-cli/ built (npm run build:cli; bash
# bench/pipeline-stats/build.sh, which may run on another Debian machine and be copied over):
#   bash bench/pipeline-stats/run.sh OUTDIR --kernel dense --m 4096 --n 4096 --tokens 1024
# writes OUTDIR/pipeline-stats.txt (each pipeline's bindings, workgroup size and statistics) and
# OUTDIR/pipeline-stats.tgz (the dump and each pipeline's SPIR-V). Dawn's toggles come from
# gpu-env.sh (DAWN_FLAGS), not from a --dawn argument.
set -uo pipefail
out=$1
shift
for arg in "$@"; do
  [[ $arg == --dawn* ]] && { echo "run.sh sets Dawn's toggles itself (DAWN_FLAGS replaces them): drop $arg" >&2; exit 2; }
done
mkdir -p "$out"
source "$(dirname "$0")/../gpu-env.sh"
work=$(mktemp -d)
report=$out/pipeline-stats.txt
# One enable-dawn-features list: a second one would replace the first.
if [[ $dawn == *enable-dawn-features=* ]]; then toggles=${dawn/enable-dawn-features=/enable-dawn-features=dump_shaders,}
else toggles="$dawn enable-dawn-features=dump_shaders"; fi
node dist-cli/blr.mjs verify "$@" --dawn "$toggles" > "$work/dump.txt" 2> "$work/verify.err"
echo "blr verify $*: rc=$? (toggles: $toggles)" | tee "$report"
cat "$work/verify.err" >> "$report"
node bench/pipeline-stats/split-dump.mjs "$work/dump.txt" "$work" 2>> "$report" | while read -r file bindings x y z; do
  if [ "$bindings" = SKIP ]; then echo "== pipeline ${file%.spvasm}: skipped, $x $y $z" | tee -a "$report"; continue; fi
  spv=${file%.spvasm}.spv
  {
    echo "== pipeline ${file%.spvasm}: bindings $bindings, workgroup $x × $y × $z"
    # SPIR-V 1.4, as Dawn hands it to the driver, less the maximal-reconvergence mode that
    # Dawn asks of NVIDIA's driver and Debian 12's spirv-as cannot assemble (the tool does not
    # enable that extension either; the mode constrains how diverged threads rejoin, so the
    # driver's statistics are of a pipeline that may differ from Dawn's in that). The archive
    # keeps Dawn's text as it was.
    sed '/MaximallyReconvergesKHR/d; /"SPV_KHR_maximal_reconvergence"/d' "$work/$file" > "$work/${file%.spvasm}.assembled.spvasm"
    dist-cli/tools/spirv-as --target-env spv1.4 -o "$work/$spv" "$work/${file%.spvasm}.assembled.spvasm" &&
      dist-cli/tools/vk-pipeline-stats "$work/$spv" "$bindings"
  } 2>&1 | tee -a "$report"
done
tar czf "$out/pipeline-stats.tgz" -C "$work" .
