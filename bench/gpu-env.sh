# Sourced by the bench scripts on the GPU machine. `dawn`: Dawn's toggles, which on NVIDIA
# expose shader-f16 (and subgroup matrices); DAWN_FLAGS replaces them. gpu_name: the GPU as
# the feeds name it; DEVICE_NAME replaces what nvidia-smi reports.
dawn=${DAWN_FLAGS:-enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia}
gpu_name() { echo "${DEVICE_NAME:-$(nvidia-smi --query-gpu=name --format=csv,noheader | head -n1)}"; }
