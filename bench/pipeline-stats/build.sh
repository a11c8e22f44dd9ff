#!/usr/bin/env bash
# Builds what run.sh needs on the GPU machine into dist-cli/tools/ (copy dist-cli/ along if the GPU machine lacks the build tools):
# vk-pipeline-stats (gcc, Debian's libvulkan-dev) and a copy of Debian's spirv-as (spirv-tools;
# it needs only libstdc++ there).
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in gcc spirv-as; do
  command -v "$tool" > /dev/null || { echo "needs $tool: apt-get install gcc spirv-tools libvulkan-dev" >&2; exit 1; }
done
[ -f /usr/include/vulkan/vulkan.h ] || { echo "needs the Vulkan headers: apt-get install libvulkan-dev" >&2; exit 1; }
mkdir -p dist-cli/tools
gcc -O2 -Wall -o dist-cli/tools/vk-pipeline-stats bench/pipeline-stats/vk-pipeline-stats.c -lvulkan
cp "$(command -v spirv-as)" dist-cli/tools/spirv-as
echo "built dist-cli/tools/vk-pipeline-stats and dist-cli/tools/spirv-as"
