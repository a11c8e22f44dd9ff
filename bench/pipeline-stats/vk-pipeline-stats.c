// vk-pipeline-stats: what the Vulkan driver says it compiled a compute shader into (registers,
// spills, shared memory: whatever statistics the driver reports through
// VK_KHR_pipeline_executable_properties). Dawn gives no such report, so
// bench/pipeline-stats/run.sh feeds this the SPIR-V that Dawn generated for one of our pipelines.
//
//   vk-pipeline-stats SHADER.spv BINDINGS
//
// BINDINGS lists descriptor set 0's bindings in order, one letter each: s (storage buffer) or
// u (uniform buffer), e.g. "sssu"; "-" for none. The entry point is Dawn's, "dawn_entry_point".
// Every feature the device supports is enabled, so that any capability Dawn's SPIR-V declares is
// allowed; like Dawn, it turns on VK_EXT_robustness2 where offered and lets the subgroup size
// vary. The first NVIDIA device is taken, else the first discrete one, else the first.
// Exit status: 0 with statistics printed, 1 on a Vulkan error, 2 on bad arguments, 3 where the
// driver does not report statistics.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>

#define CHECK(call)                                                          \
  do {                                                                       \
    VkResult r_ = (call);                                                    \
    if (r_ != VK_SUCCESS) {                                                  \
      fprintf(stderr, "%s failed: VkResult %d\n", #call, (int)r_);           \
      exit(1);                                                               \
    }                                                                        \
  } while (0)

static void *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = malloc(*size);
  if (fread(data, 1, *size, f) != *size) { perror(path); exit(2); }
  fclose(f);
  return data;
}

static int has_extension(VkPhysicalDevice gpu, const char *name) {
  uint32_t n = 0;
  CHECK(vkEnumerateDeviceExtensionProperties(gpu, NULL, &n, NULL));
  VkExtensionProperties *ext = calloc(n, sizeof *ext);
  CHECK(vkEnumerateDeviceExtensionProperties(gpu, NULL, &n, ext));
  int found = 0;
  for (uint32_t i = 0; i < n; i++) found |= strcmp(ext[i].extensionName, name) == 0;
  free(ext);
  return found;
}

static void print_statistic(const VkPipelineExecutableStatisticKHR *s) {
  printf("  %s: ", s->name);
  switch (s->format) {
    case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_BOOL32_KHR: printf("%s", s->value.b32 ? "true" : "false"); break;
    case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_INT64_KHR: printf("%lld", (long long)s->value.i64); break;
    case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_UINT64_KHR: printf("%llu", (unsigned long long)s->value.u64); break;
    case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_FLOAT64_KHR: printf("%g", s->value.f64); break;
    default: printf("?"); break;
  }
  printf("  (%s)\n", s->description);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);  // in order with stderr when both go to one pipe
  if (argc != 3 || (strcmp(argv[2], "-") != 0 && strspn(argv[2], "su") != strlen(argv[2]))) {
    fprintf(stderr, "usage: vk-pipeline-stats SHADER.spv BINDINGS (letters s or u per binding of set 0, - for none)\n");
    return 2;
  }
  const char *bindings = strcmp(argv[2], "-") == 0 ? "" : argv[2];
  uint32_t binding_count = (uint32_t)strlen(bindings);

  VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO, NULL, "vk-pipeline-stats", 1, NULL, 0, VK_API_VERSION_1_3};
  VkInstanceCreateInfo ici = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, NULL, 0, &app, 0, NULL, 0, NULL};
  VkInstance instance;
  CHECK(vkCreateInstance(&ici, NULL, &instance));

  uint32_t gpu_count = 0;
  CHECK(vkEnumeratePhysicalDevices(instance, &gpu_count, NULL));
  if (gpu_count == 0) { fprintf(stderr, "no Vulkan device\n"); return 1; }
  VkPhysicalDevice *gpus = calloc(gpu_count, sizeof *gpus);
  CHECK(vkEnumeratePhysicalDevices(instance, &gpu_count, gpus));
  VkPhysicalDevice gpu = gpus[0];
  int best = 0;  // 2: NVIDIA, 1: discrete, 0: any
  for (uint32_t i = 0; i < gpu_count; i++) {
    VkPhysicalDeviceProperties p;
    vkGetPhysicalDeviceProperties(gpus[i], &p);
    int rank = p.vendorID == 0x10DE ? 2 : p.deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU ? 1 : 0;
    if (rank > best) { best = rank; gpu = gpus[i]; }
  }
  free(gpus);
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(gpu, &props);
  printf("device: %s (driver %u)\n", props.deviceName, props.driverVersion);
  if (!has_extension(gpu, VK_KHR_PIPELINE_EXECUTABLE_PROPERTIES_EXTENSION_NAME)) {
    printf("the driver does not offer %s\n", VK_KHR_PIPELINE_EXECUTABLE_PROPERTIES_EXTENSION_NAME);
    return 3;
  }

  // Every supported feature on, the statistics feature among them.
  int robustness2 = has_extension(gpu, VK_EXT_ROBUSTNESS_2_EXTENSION_NAME);
  VkPhysicalDeviceRobustness2FeaturesEXT robustness2_features = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ROBUSTNESS_2_FEATURES_EXT};
  VkPhysicalDevicePipelineExecutablePropertiesFeaturesKHR stats_features = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PIPELINE_EXECUTABLE_PROPERTIES_FEATURES_KHR, robustness2 ? &robustness2_features : NULL};
  VkPhysicalDeviceVulkan13Features f13 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES, &stats_features};
  VkPhysicalDeviceVulkan12Features f12 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, &f13};
  VkPhysicalDeviceVulkan11Features f11 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES, &f12};
  VkPhysicalDeviceFeatures2 features = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &f11};
  vkGetPhysicalDeviceFeatures2(gpu, &features);
  if (!stats_features.pipelineExecutableInfo) {
    printf("the driver offers no pipeline executable statistics\n");
    return 3;
  }

  uint32_t family_count = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(gpu, &family_count, NULL);
  VkQueueFamilyProperties *families = calloc(family_count, sizeof *families);
  vkGetPhysicalDeviceQueueFamilyProperties(gpu, &family_count, families);
  uint32_t family = 0;
  while (family < family_count && !(families[family].queueFlags & VK_QUEUE_COMPUTE_BIT)) family++;
  free(families);
  if (family == family_count) { fprintf(stderr, "no queue family with compute\n"); return 1; }
  float priority = 1.0f;
  VkDeviceQueueCreateInfo qci = {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, NULL, 0, family, 1, &priority};
  const char *extensions[] = {VK_KHR_PIPELINE_EXECUTABLE_PROPERTIES_EXTENSION_NAME, VK_EXT_ROBUSTNESS_2_EXTENSION_NAME};
  VkDeviceCreateInfo dci = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, &features, 0, 1, &qci, 0, NULL, robustness2 ? 2 : 1, extensions, NULL};
  VkDevice device;
  CHECK(vkCreateDevice(gpu, &dci, NULL, &device));

  size_t code_size;
  uint32_t *code = read_file(argv[1], &code_size);
  VkShaderModuleCreateInfo smci = {VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, NULL, 0, code_size, code};
  VkShaderModule module;
  CHECK(vkCreateShaderModule(device, &smci, NULL, &module));

  VkDescriptorSetLayoutBinding *slots = calloc(binding_count ? binding_count : 1, sizeof *slots);
  for (uint32_t i = 0; i < binding_count; i++) {
    slots[i].binding = i;
    slots[i].descriptorType = bindings[i] == 'u' ? VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    slots[i].descriptorCount = 1;
    slots[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  VkDescriptorSetLayoutCreateInfo dslci = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, NULL, 0, binding_count, slots};
  VkDescriptorSetLayout set_layout;
  CHECK(vkCreateDescriptorSetLayout(device, &dslci, NULL, &set_layout));
  // Push constants, should Dawn's SPIR-V use any (it may pass internal values that way).
  VkPushConstantRange push = {VK_SHADER_STAGE_COMPUTE_BIT, 0, props.limits.maxPushConstantsSize};
  VkPipelineLayoutCreateInfo plci = {VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, NULL, 0, 1, &set_layout, 1, &push};
  VkPipelineLayout layout;
  CHECK(vkCreatePipelineLayout(device, &plci, NULL, &layout));

  VkPipelineShaderStageCreateFlags stage_flags = f13.subgroupSizeControl ? VK_PIPELINE_SHADER_STAGE_CREATE_ALLOW_VARYING_SUBGROUP_SIZE_BIT : 0;
  VkPipelineShaderStageCreateInfo stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, NULL, stage_flags, VK_SHADER_STAGE_COMPUTE_BIT, module, "dawn_entry_point", NULL};
  VkComputePipelineCreateInfo cpci = {VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO, NULL, VK_PIPELINE_CREATE_CAPTURE_STATISTICS_BIT_KHR, stage, layout, VK_NULL_HANDLE, -1};
  VkPipeline pipeline;
  CHECK(vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &cpci, NULL, &pipeline));

  PFN_vkGetPipelineExecutablePropertiesKHR get_executables = (PFN_vkGetPipelineExecutablePropertiesKHR)vkGetDeviceProcAddr(device, "vkGetPipelineExecutablePropertiesKHR");
  PFN_vkGetPipelineExecutableStatisticsKHR get_statistics = (PFN_vkGetPipelineExecutableStatisticsKHR)vkGetDeviceProcAddr(device, "vkGetPipelineExecutableStatisticsKHR");
  VkPipelineInfoKHR pipeline_info = {VK_STRUCTURE_TYPE_PIPELINE_INFO_KHR, NULL, pipeline};
  uint32_t executable_count = 0;
  CHECK(get_executables(device, &pipeline_info, &executable_count, NULL));
  VkPipelineExecutablePropertiesKHR *executables = calloc(executable_count, sizeof *executables);
  for (uint32_t i = 0; i < executable_count; i++) executables[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_PROPERTIES_KHR;
  CHECK(get_executables(device, &pipeline_info, &executable_count, executables));
  for (uint32_t e = 0; e < executable_count; e++) {
    printf("executable %u: %s (%s), subgroup size %u\n", e, executables[e].name, executables[e].description, executables[e].subgroupSize);
    VkPipelineExecutableInfoKHR executable = {VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_INFO_KHR, NULL, pipeline, e};
    uint32_t stat_count = 0;
    CHECK(get_statistics(device, &executable, &stat_count, NULL));
    VkPipelineExecutableStatisticKHR *stats = calloc(stat_count, sizeof *stats);
    for (uint32_t i = 0; i < stat_count; i++) stats[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_STATISTIC_KHR;
    CHECK(get_statistics(device, &executable, &stat_count, stats));
    for (uint32_t i = 0; i < stat_count; i++) print_statistic(&stats[i]);
    free(stats);
  }
  return executable_count > 0 ? 0 : 3;
}
