import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../structures/random';
import { DTYPES } from '../structures/types';
import { STRATEGIES, STRUCTURE_KINDS } from '../structures/kinds';
import { decodeExperiment, encodeExperiment } from './codec';
import { packText } from './packing';
import { decodeSnapshot, encodeSnapshot, MAX_SNAPSHOT_CHARS, SnapshotTooLargeError, type SnapshotPoint } from './snapshot';
import { DEFAULT_EXPERIMENT } from './state';

function randomPoint(rand: () => number): SnapshotPoint {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const b = pick([1, 2, 4, 8, 16]);
  const m = b * (1 + Math.floor(rand() * 256));
  const n = b * (1 + Math.floor(rand() * 256));
  const structure = pick(STRUCTURE_KINDS);
  const knobs =
    structure === 'dense'
      ? {}
      : structure === 'lowrank'
        ? { rank: 1 + Math.floor(rand() * Math.min(m, n)) }
        : { blocks: b, rank: structure === 'monarch' ? b * (1 + Math.floor(rand() * (Math.min(m, n) / b))) : 1 + Math.floor(rand() * Math.min(m, n)) };
  return {
    structure,
    ...knobs,
    m,
    n,
    tokens: pick([1, 16, 128, 1024, 4096]),
    strategy: pick(STRATEGIES[structure]),
    dtype: pick(DTYPES),
    medianMs: Number((rand() * 50).toPrecision(4)),
    ...(rand() < 0.5 ? { relErr: Number((rand() * 1e-5).toPrecision(2)) } : {}),
  };
}

/** base64url of raw bytes, to craft values that are valid base64 but not a snapshot. */
function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const onePoint: SnapshotPoint[] = [{ structure: 'monarch', blocks: 16, rank: 1024, m: 4096, n: 4096, tokens: 1024, strategy: 'partial', dtype: 'f32', medianMs: 3.25 }];

describe('snapshot round trip', () => {
  it('decodes what it encodes, for 200 seeded snapshots', () => {
    const rand = mulberry32(42);
    for (let i = 0; i < 200; i++) {
      const points = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => randomPoint(rand));
      const value = encodeSnapshot(points, 'NVIDIA H100 80GB HBM3 (Dawn, Vulkan)');
      expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeSnapshot(value)).toEqual({ ok: true, snapshot: { device: 'NVIDIA H100 80GB HBM3 (Dawn, Vulkan)', points }, notes: [] });
    }
  });

  it('gives the same value for the same points (gzip mtime 0)', () => {
    expect(encodeSnapshot(onePoint, 'GPU')).toBe(encodeSnapshot(onePoint, 'GPU'));
  });

  it('keeps 4 significant digits of timings, 2 of errors, and only the knobs a structure has', () => {
    const value = encodeSnapshot([{ structure: 'dense', blocks: 4, rank: 8, m: 64, n: 64, tokens: 1, strategy: 'tiled', dtype: 'f16', medianMs: 0.123456789, relErr: 1.23456e-6 }], 'GPU');
    const decoded = decodeSnapshot(value);
    expect(decoded).toEqual({ ok: true, snapshot: { device: 'GPU', points: [{ structure: 'dense', m: 64, n: 64, tokens: 1, strategy: 'tiled', dtype: 'f16', medianMs: 0.1235, relErr: 1.2e-6 }] }, notes: [] });
  });

  it('makes the device plain text of at most 120 characters', () => {
    const decode = (device: string) => {
      const result = decodeSnapshot(encodeSnapshot(onePoint, device));
      return result.ok ? result.snapshot.device : result.error;
    };
    expect(decode('Apple\nM2\u0000 <b>GPU</b>')).toBe('Apple M2 <b>GPU</b>');
    expect(decode('x'.repeat(500))).toHaveLength(120);
    expect(decode('  \t ')).toBe('unknown device');
  });

  it('rides in a link as the results parameter', () => {
    const results = encodeSnapshot(onePoint, 'GPU');
    const decoded = decodeExperiment(encodeExperiment(DEFAULT_EXPERIMENT, { results }));
    expect(decoded.notices).toEqual([]);
    expect(decoded.snapshot).toEqual({ device: 'GPU', points: onePoint });
  });
});

describe('snapshot size cap', () => {
  it(`refuses to encode past ${MAX_SNAPSHOT_CHARS} characters with a message that says what to do`, () => {
    const rand = mulberry32(3);
    const points = Array.from({ length: 500 }, () => randomPoint(rand));
    let caught: unknown;
    try {
      encodeSnapshot(points, 'GPU');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SnapshotTooLargeError);
    const error = caught as SnapshotTooLargeError;
    expect(error.points).toBe(500);
    expect(error.chars).toBeGreaterThan(MAX_SNAPSHOT_CHARS);
    expect(error.message).toBe(`snapshot too large: 500 points make ${error.chars} characters, over the 6000-character cap; share fewer points`);
    expect(() => encodeSnapshot(Array.from({ length: 513 }, () => points[0]), 'GPU')).toThrow('513 points, over the 512-point cap');
  });

  it('fits a full token sweep of every structure and strategy with room to spare', () => {
    const rand = mulberry32(5);
    const points = Array.from({ length: 120 }, () => randomPoint(rand));
    expect(encodeSnapshot(points, 'GPU').length).toBeLessThan(MAX_SNAPSHOT_CHARS);
  });

  it('refuses to decode an oversized value before reading it', () => {
    expect(decodeSnapshot('A'.repeat(MAX_SNAPSHOT_CHARS + 1))).toEqual({ ok: false, error: 'snapshot too large: 6001 characters, over the 6000-character cap' });
  });

  it('refuses a small value that expands past the memory bound (a zip bomb)', () => {
    const bomb = packText(`{"v":1,"device":"${'a'.repeat(2_000_000)}","points":[]}`);
    expect(bomb.length).toBeLessThan(MAX_SNAPSHOT_CHARS);
    const result = decodeSnapshot(bomb);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/expands past the 262144-byte limit/);
  });
});

describe('corrupt snapshots are refused with a reason, never thrown', () => {
  const good = encodeSnapshot(onePoint, 'GPU');
  const packed = (data: unknown) => packText(JSON.stringify(data));
  const wire = (points: unknown[], extra: object = {}) => packed({ v: 1, device: 'GPU', points, ...extra });
  const monarch = onePoint[0];

  const cases: [string, string, RegExp][] = [
    ['not base64url', 'abc$def', /not base64url/],
    ['impossible base64 length', 'abcde', /not base64url/],
    ['padding', `${good}=`, /not base64url/],
    ['empty', '', /not gzip/],
    ['valid base64 of text', base64url(new TextEncoder().encode('hello world, not gzip at all')), /not gzip/],
    ['valid base64 of random bytes', base64url(Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff)), /not gzip/],
    ['truncated', good.slice(0, good.length - 10), /truncated or corrupted/],
    ['cut in half', good.slice(0, good.length >> 1), /truncated or corrupted/],
    ['gzip of non-UTF-8', base64url(gzipSync(Uint8Array.of(0xff, 0xfe, 0x80), { mtime: 0 })), /not UTF-8/],
    ['gzip of non-JSON', packText('{"v":1,'), /not JSON/],
    ['JSON not an object', packed([1, 2, 3]), /snapshot invalid/],
    ['newer snapshot version', packed({ v: 2, device: 'GPU', points: [] }), /unsupported snapshot version/],
    ['unknown field', wire([], { extra: true }), /snapshot invalid/],
    ['device with control characters', packed({ v: 1, device: 'GPU\u0007', points: [] }), /device must be plain text/],
    ['device too long', packed({ v: 1, device: 'x'.repeat(121), points: [] }), /device/],
    ['strategy of another structure', wire([{ ...monarch, strategy: 'tiled' }]), /points\.0\.strategy/],
    ['unknown structure', wire([{ ...monarch, structure: 'butterfly' }]), /points\.0\.structure/],
    ['Monarch without blocks', wire([{ ...monarch, blocks: undefined }]), /points\.0\.blocks/],
    ['NaN as null', wire([{ ...monarch, medianMs: null }]), /points\.0\.medianMs/],
    ['negative time', wire([{ ...monarch, medianMs: -1 }]), /points\.0\.medianMs/],
    ['fractional size', wire([{ ...monarch, m: 4096.5 }]), /points\.0\.m/],
    ['knobs that do not fit the shape', wire([{ ...monarch, blocks: 12 }]), /point 1: blocks b=12 must divide n=4096/],
    ['script in a field', wire([{ ...monarch, dtype: '<script>alert(1)</script>' }]), /points\.0\.dtype/],
    ['a latency of 1e308 ms', wire([{ ...monarch, medianMs: 1e308 }]), /points\.0\.medianMs: a latency is at most 10000000 ms/],
    ['a latency of 5e-324 ms', wire([{ ...monarch, medianMs: 5e-324 }]), /points\.0\.medianMs: a latency is at least 0\.000001 ms/],
    ['b past LIMITS.blocks', wire([{ ...monarch, blocks: 4096, rank: 4096 }]), /point 1: blocks: expected a whole number from 1 to 64/],
    ['sizes of 2^24', wire([{ ...monarch, m: 2 ** 24, n: 2 ** 24 }]), /points\.0\.m/],
    ['more points than LIMITS.snapshotPoints', wire(Array.from({ length: 513 }, () => monarch)), /points: at most 512 points/],
  ];

  it.each(cases)('%s', (_name, value, error) => {
    const result = decodeSnapshot(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });

  it('never returns different points for a value with one character changed', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < good.length; i++) {
      const other = alphabet[(alphabet.indexOf(good[i]) + 17) % 64];
      const flipped = good.slice(0, i) + other + good.slice(i + 1);
      const result = decodeSnapshot(flipped);
      // Header bytes (mtime, OS) and base64 padding bits do not touch the data: those still read.
      if (result.ok) expect(result.snapshot, `character ${i}`).toEqual({ device: 'GPU', points: onePoint });
    }
  });

  it('keeps the first of points given twice and says how many were dropped (1500 identical points fit the cap)', () => {
    const twice = decodeSnapshot(wire([monarch, { ...monarch, medianMs: 9 }, { ...monarch, tokens: 16 }]));
    expect(twice).toEqual({ ok: true, snapshot: { device: 'GPU', points: [monarch, { ...monarch, tokens: 16 }] }, notes: ['1 point given twice; the first timing of each is shown'] });
    const many = wire(Array.from({ length: 1500 }, () => monarch));
    expect(many.length).toBeLessThan(MAX_SNAPSHOT_CHARS);
    expect(decodeSnapshot(many)).toEqual({ ok: false, error: 'snapshot invalid: points: at most 512 points' });
    const allowed = decodeSnapshot(wire(Array.from({ length: 512 }, () => monarch)));
    expect(allowed.ok && [allowed.snapshot.points.length, allowed.notes]).toEqual([1, ['511 points given twice; the first timing of each is shown']]);
  });

  it('refuses to encode a point it could not read back', () => {
    expect(() => encodeSnapshot([{ ...monarch, medianMs: Number.NaN }], 'GPU')).toThrow(/cannot share these results: points\.0\.medianMs/);
    expect(() => encodeSnapshot([{ ...monarch, rank: 1000 }], 'GPU')).toThrow(/R=1000 must be a multiple of blocks b=16/);
  });
});
