#!/usr/bin/env bash
# The driver's own account (registers, spills, …) of every compute pipeline that one `blr verify`
# builds: Dawn dumps the SPIR-V it generates (`dump_shaders`), spirv-as assembles it, and
# vk-pipeline-stats compiles it again with VK_KHR_pipeline_executable_properties. On the GPU
# machine, from the project root, with .gpu/ and dist-cli/ (npm run build:cli; bash
# bench/pipeline-stats/build.sh) carried along:
#   bash .gpu/remote.sh bash bench/pipeline-stats/run.sh OUTDIR --kernel dense --m 4096 --n 4096 --tokens 1024
# writes OUTDIR/pipeline-stats.txt (each pipeline's bindings, workgroup size and statistics) and
# OUTDIR/pipeline-stats.tgz (the dump and each pipeline's SPIR-V).
set -uo pipefail
out=$1
shift
source "$(dirname "$0")/../gpu-env.sh"
work=$(mktemp -d)
# One enable-dawn-features list: a second one would replace the first.
if [[ $dawn == *enable-dawn-features=* ]]; then toggles=${dawn/enable-dawn-features=/enable-dawn-features=dump_shaders,}
else toggles="$dawn enable-dawn-features=dump_shaders"; fi
node dist-cli/blr.mjs verify "$@" --dawn "$toggles" > "$work/dump.txt"
echo "blr verify $*: rc=$?" | tee "$out/pipeline-stats.txt"
node bench/pipeline-stats/split-dump.mjs "$work/dump.txt" "$work" | while read -r file bindings x y z; do
  spv=${file%.spvasm}.spv
  {
    echo "== pipeline ${file%.spvasm}: bindings $bindings, workgroup $x × $y × $z"
    dist-cli/tools/spirv-as --target-env vulkan1.3 -o "$work/$spv" "$work/$file" &&
      dist-cli/tools/vk-pipeline-stats "$work/$spv" "$bindings"
  } 2>&1 | tee -a "$out/pipeline-stats.txt"
done
tar czf "$out/pipeline-stats.tgz" -C "$work" .
