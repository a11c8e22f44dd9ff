/**
 * What the adapter lacks of what the playground can use (f16, GPU timestamps, subgroup
 * matrices), and which Chrome setting or flag would expose each on the user's platform.
 */
import { isSoftwareAdapter } from '../../lib/gpu/device';
import type { AdapterSummary } from '../../lib/gpu/types';

export type Platform = 'linux' | 'windows' | 'macos' | 'chromeos' | 'android' | 'ios' | 'other';

export const SUBGROUP_MATRIX = 'chromium-experimental-subgroup-matrix';

export interface FeatureAdvice {
  feature: 'shader-f16' | 'timestamp-query' | typeof SUBGROUP_MATRIX;
  /** what the feature gives, in words */
  gives: string;
  /** what would expose it; flags and settings between backticks */
  how: string;
}

/** The platform from the browser's own words (navigator.userAgentData.platform, else the user agent). */
export function platformOf(userAgent: string, uaPlatform?: string): Platform {
  const p = `${uaPlatform ?? ''} ${userAgent}`;
  if (/android/i.test(p)) return 'android';
  if (/cros|chrome ?os/i.test(p)) return 'chromeos';
  if (/iphone|ipad|ios/i.test(p)) return 'ios';
  if (/mac/i.test(p)) return 'macos';
  if (/win/i.test(p)) return 'windows';
  if (/linux|x11/i.test(p)) return 'linux';
  return 'other';
}

const NVIDIA_F16 = '--enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia';

export function featureAdvice(summary: Pick<AdapterSummary, 'features' | 'vendor' | 'architecture' | 'description' | 'isFallbackAdapter'>, platform: Platform): FeatureAdvice[] {
  const has = (f: string) => summary.features.includes(f);
  const software = isSoftwareAdapter(summary);
  // Chrome runs WebGPU on Vulkan on Linux, where NVIDIA's f16 sits behind a Dawn toggle.
  const nvidiaVulkan = platform === 'linux' && /nvidia/i.test(summary.vendor);
  const noneInSoftware = 'this is a software adapter, on the CPU, which has none; a hardware GPU may, with the browser\'s hardware acceleration on (`chrome://gpu` shows whether it is).';
  const out: FeatureAdvice[] = [];
  if (!has('shader-f16')) {
    out.push({
      feature: 'shader-f16',
      gives: 'f16 kernels',
      how: software
        ? noneInSoftware
        : nvidiaVulkan
          ? `on NVIDIA under Vulkan Chrome exposes it only with a Dawn feature: start it with \`--enable-unsafe-webgpu --enable-features=Vulkan ${NVIDIA_F16}\`.`
          : 'Chrome exposes it wherever the GPU and its driver support 16-bit floats; this one does not, or its driver is too old.',
    });
  }
  if (!has('timestamp-query')) {
    out.push({
      feature: 'timestamp-query',
      gives: 'GPU timestamps (without them the page times with the wall clock)',
      how: 'Chrome exposes it from version 121 wherever the GPU backend supports it; `chrome://flags/#enable-webgpu-developer-features` also turns off its rounding to 100 µs.',
    });
  }
  if (!has(SUBGROUP_MATRIX)) {
    const linux = platform === 'linux' ? ', and on Linux start Chrome with `--enable-features=Vulkan`' : '';
    const f16 = nvidiaVulkan ? `; f16 matrices on NVIDIA also need \`${NVIDIA_F16}\`` : '';
    out.push({
      feature: SUBGROUP_MATRIX,
      gives: 'subgroup matrices, the route to tensor cores (experimental)',
      how: software ? noneInSoftware : `turn on \`chrome://flags/#enable-unsafe-webgpu\`${linux}${f16}.`,
    });
  }
  return out;
}
