/**
 * A GPUDevice in Node through Dawn (the `webgpu` package). Toggles are Dawn's own strings,
 * e.g. 'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia'.
 */
import { create, globals } from 'webgpu';
import { deviceRequirements } from '../lib/gpu/device';

export interface DawnDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
}

/**
 * Dawn's instance drives every pending promise of its devices; if it is garbage-collected,
 * promises never settle and Node exits or aborts mid-run. Each instance lives here until its
 * device is lost or destroyed.
 */
const liveInstances = new Map<GPUDevice, GPU>();

/** Turns a --dawn "a b c" string into toggles; timestamps are never quantised unless asked. */
export function dawnToggles(flag: string | undefined): string[] {
  const toggles = (flag ?? '').split(/\s+/).filter(Boolean);
  if (!toggles.some((t) => t.includes('timestamp_quantization'))) {
    toggles.push('disable-dawn-features=timestamp_quantization');
  }
  return toggles;
}

/** `requirements` picks the device's features and limits (by default: the adapter's maximum). */
export async function openDawn(toggles: string[], requirements: (adapter: GPUAdapter) => GPUDeviceDescriptor = deviceRequirements): Promise<DawnDevice> {
  Object.assign(globalThis, globals);
  const gpu = create(toggles);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      'no WebGPU adapter: Dawn found no Vulkan driver. On a machine without a GPU set ' +
        'VK_ICD_FILENAMES to a SwiftShader ICD (Debian chromium ships /usr/lib/chromium/vk_swiftshader_icd.json) ' +
        'and install libvulkan1',
    );
  }
  const device = await adapter.requestDevice(requirements(adapter));
  device.addEventListener('uncapturederror', (e) => {
    process.stderr.write(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}\n`);
  });
  liveInstances.set(device, gpu);
  void device.lost.then(() => liveInstances.delete(device));
  return { adapter, device };
}
