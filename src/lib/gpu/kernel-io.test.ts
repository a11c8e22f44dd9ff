/** Each kernel's WGSL against its declared interface (kernel-io.ts): bindings and Params, by name and order. */
import { describe, expect, it } from 'vitest';
import { KERNEL_IO, orderBindings, packParams } from './kernel-io';
import { kernelModules, type KernelName } from './shaders';

/** The storage bindings (name, access) in @binding order, the uniform's binding, and the Params fields in order. */
function declared(source: string) {
  const bindings = [...source.matchAll(/@binding\((\d+)\)\s+var<(storage|uniform)(?:,\s*(read_write|read))?>\s+(\w+)/g)]
    .map((m) => ({ index: Number(m[1]), space: m[2], access: m[3], name: m[4] }))
    .sort((a, b) => a.index - b.index);
  const struct = /struct Params\s*\{([^}]*)\}/.exec(source);
  const params = struct ? [...struct[1].replace(/\/\/[^\n]*/g, '').matchAll(/(\w+)\s*:\s*u32/g)].map((m) => m[1]) : [];
  return { bindings, params };
}

describe('kernel interfaces', () => {
  for (const kernel of Object.keys(KERNEL_IO) as KernelName[]) {
    it(`${kernel}: the WGSL declares the bindings and Params of kernel-io.ts`, () => {
      const { bindings, params } = declared(kernelModules(kernel).join('\n'));
      const io = KERNEL_IO[kernel];
      const storage = bindings.filter((b) => b.space === 'storage');
      expect(storage.map((b) => [b.name, b.access])).toEqual(io.bindings.map(([n, a]) => [n, a]));
      expect(storage.map((b) => b.index)).toEqual(io.bindings.map((_, i) => i));
      expect(bindings.filter((b) => b.space === 'uniform').map((b) => b.index)).toEqual([io.bindings.length]);
      expect(params).toEqual(io.params);
    });
  }

  it('packs parameters by name in struct order, and refuses a missing or unknown one', () => {
    const params = Object.fromEntries(KERNEL_IO.permute.params.map((p, i) => [p, 10 + i]));
    expect([...packParams('permute', params)]).toEqual(KERNEL_IO.permute.params.map((_, i) => 10 + i));
    const { s3: _dropped, ...missing } = params;
    expect(() => packParams('permute', missing)).toThrow(/missing s3/);
    expect(() => packParams('permute', { ...params, s4: 1 })).toThrow(/unknown s4/);
    expect(orderBindings('split-reduce', { C: 'Y', partial: 'gemm:partials' })).toEqual(['gemm:partials', 'Y']);
    expect(() => orderBindings('split-reduce', { C: 'Y' })).toThrow(/missing partial/);
  });
});
