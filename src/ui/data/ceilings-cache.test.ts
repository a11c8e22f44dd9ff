import { describe, expect, it } from 'vitest';
import type { AdapterSummary } from '../../lib/gpu/types';
import { adapterKey, loadCeilings, saveCeilings, type CachedCeilings } from './ceilings-cache';

const adapter = (description: string): AdapterSummary => ({
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description,
  isFallbackAdapter: false,
  features: [],
  limits: {},
  dtypes: ['f32', 'f16'],
});

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

const ceilings: CachedCeilings = { bytesPerS: 3e12, flopsPerS: { f32: 5e13, f16: 2e14 }, timer: 'timestamp-query', measuredAt: '2026-01-01T00:00:00.000Z' };

describe('ceilings cache', () => {
  it('keeps ceilings per adapter', () => {
    const storage = memoryStorage();
    saveCeilings(storage, adapter('H100'), ceilings);
    expect(loadCeilings(storage, adapter('H100'))).toEqual(ceilings);
    expect(loadCeilings(storage, adapter('A40'))).toBeNull();
    expect(adapterKey(adapter('H100'))).not.toBe(adapterKey(adapter('A40')));
  });

  it('ignores entries that are not well-formed ceilings', () => {
    const storage = memoryStorage();
    for (const bad of ['{', '"x"', '[1]', '{"bytesPerS":-1,"flopsPerS":{"f32":1},"timer":"cpu-submit","measuredAt":"t"}', '{"bytesPerS":1,"flopsPerS":{"f32":1},"timer":"sundial","measuredAt":"t"}', '{"bytesPerS":1,"flopsPerS":null,"timer":"cpu-submit","measuredAt":"t"}']) {
      storage.items.set(adapterKey(adapter('H100')), bad);
      expect(loadCeilings(storage, adapter('H100'))).toBeNull();
    }
  });

  it('reads an entry of the earlier form, in GB/s and GFLOP/s, in SI units', () => {
    const storage = memoryStorage();
    const old = { bandwidthGBs: 3000, f32GFlops: 50_000, f16GFlops: 200_000, timer: 'timestamp-query', measuredAt: '2026-01-01T00:00:00.000Z' };
    storage.items.set(adapterKey(adapter('H100')).replace('/v2/', '/v1/'), JSON.stringify(old));
    expect(loadCeilings(storage, adapter('H100'))).toEqual(ceilings);
    storage.items.set(adapterKey(adapter('H100')).replace('/v2/', '/v1/'), '{"bandwidthGBs":1,"timer":"cpu-submit","measuredAt":"t"}');
    expect(loadCeilings(storage, adapter('H100'))).toBeNull();
  });

  it('survives storage that refuses writes', () => {
    const full = { setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveCeilings(full, adapter('H100'), ceilings)).not.toThrow();
  });
});
