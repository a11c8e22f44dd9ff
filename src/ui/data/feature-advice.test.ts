import { describe, expect, it } from 'vitest';
import { featureAdvice, platformOf, SUBGROUP_MATRIX } from './feature-advice';

const adapter = (vendor: string, features: string[], isFallbackAdapter = false) => ({ vendor, architecture: '', description: '', features, isFallbackAdapter });

describe('platformOf', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36', undefined, 'linux'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130 Mobile', 'Android', 'android'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130', 'Windows', 'windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/130', 'macOS', 'macos'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) Chrome/130', 'Chrome OS', 'chromeos'],
  ] as const)('%s', (ua, uaPlatform, platform) => {
    expect(platformOf(ua, uaPlatform)).toBe(platform);
  });
});

describe('featureAdvice', () => {
  it('says nothing where the adapter has everything', () => {
    expect(featureAdvice(adapter('nvidia', ['shader-f16', 'timestamp-query', SUBGROUP_MATRIX]), 'linux')).toEqual([]);
  });

  it('on Linux with NVIDIA: Vulkan and the Dawn feature for f16, the unsafe-WebGPU flag for subgroup matrices', () => {
    const advice = featureAdvice(adapter('nvidia', ['timestamp-query']), 'linux');
    expect(advice.map((a) => a.feature)).toEqual(['shader-f16', SUBGROUP_MATRIX]);
    expect(advice[0].how).toContain('--enable-features=Vulkan --enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia');
    expect(advice[1].how).toMatch(/chrome:\/\/flags\/#enable-unsafe-webgpu.*--enable-features=Vulkan.*vulkan_enable_f16_on_nvidia/);
  });

  it('elsewhere: no Vulkan switch, and f16 is up to the GPU and driver', () => {
    const advice = featureAdvice(adapter('intel', []), 'windows');
    expect(advice.map((a) => a.feature)).toEqual(['shader-f16', 'timestamp-query', SUBGROUP_MATRIX]);
    expect(advice[0].how).not.toContain('vulkan');
    expect(advice[1].how).toContain('chrome://flags/#enable-webgpu-developer-features');
    expect(advice[2].how).toBe('turn on `chrome://flags/#enable-unsafe-webgpu`.');
  });

  it('a software adapter: none of them, whatever the flags', () => {
    for (const software of [adapter('google', ['timestamp-query'], true), { ...adapter('google', ['timestamp-query']), architecture: 'swiftshader' }]) {
      const advice = featureAdvice(software, 'linux');
      expect(advice.map((a) => a.feature)).toEqual(['shader-f16', SUBGROUP_MATRIX]);
      for (const a of advice) expect(a.how).toMatch(/software adapter/);
    }
  });
});
