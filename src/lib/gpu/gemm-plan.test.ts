import { describe, expect, it } from 'vitest';
import { chooseGemmTile, GEMM_PREFETCH, GEMM_TILES, tileLoadsPerThread, tileWorkgroupBytes } from './gemm-plan';
import { blastPartialTile } from './plans';

const WEBGPU_MIN = 16384;

describe('GEMM tiles', () => {
  it('each thread stages at most GEMM_PREFETCH vectors per K tile (gemm-core.wgsl PREFETCH)', () => {
    const blast = [1, 2, 4, 16, 32].flatMap((b) => [1, 63, 64, 1024].map((t) => blastPartialTile(b, t)));
    for (const tile of [...Object.values(GEMM_TILES), ...blast]) expect(tileLoadsPerThread(tile), JSON.stringify(tile)).toBeLessThanOrEqual(GEMM_PREFETCH);
    expect(tileLoadsPerThread(blastPartialTile(16, 1))).toBe(GEMM_PREFETCH);
  });

  it('counts workgroup bytes as f32 vectors with the k-row padding', () => {
    expect(tileWorkgroupBytes(GEMM_TILES.LARGE, 0)).toBe(WEBGPU_MIN);
    expect(tileWorkgroupBytes(GEMM_TILES.LARGE, 1)).toBe(16896);
    expect(tileWorkgroupBytes(GEMM_TILES.WIDE, 1)).toBe(8704);
  });

  it('pads the large tile where it fits, drops the padding at the WebGPU minimum, and takes the wide tile for small products', () => {
    expect(chooseGemmTile(1024, 4096, 49152)).toEqual({ tile: GEMM_TILES.LARGE, pad: 1 });
    expect(chooseGemmTile(1024, 4096, WEBGPU_MIN)).toEqual({ tile: GEMM_TILES.LARGE, pad: 0 });
    expect(chooseGemmTile(64, 4096, WEBGPU_MIN)).toEqual({ tile: GEMM_TILES.WIDE, pad: 1 });
    expect(chooseGemmTile(1024, 4096, 12000)).toEqual({ tile: GEMM_TILES.WIDE, pad: 1 });
    expect(() => chooseGemmTile(1024, 4096, 4096)).toThrow(/no GEMM tile fits 4096 B/);
  });
});
