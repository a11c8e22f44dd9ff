/**
 * Dawn on SwiftShader for tests: the CPU Vulkan driver that Debian's chromium ships, unless the
 * environment already names a driver.
 */
import { existsSync } from 'node:fs';
import { openDawn, type DawnDevice } from '../cli/dawn';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export function useSwiftShaderUnlessSet(): void {
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
}

/** A test device; pass `requirements` for other limits than the adapter's maximum. */
export async function openTestDevice(requirements?: (adapter: GPUAdapter) => GPUDeviceDescriptor): Promise<DawnDevice> {
  useSwiftShaderUnlessSet();
  return openDawn(['disable-dawn-features=timestamp_quantization'], requirements);
}
