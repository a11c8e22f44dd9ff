/** Seeded random numbers, so a seed (in a link, on the CLI) reproduces inputs exactly. */

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-scale, scale). */
export function uniformArray(length: number, scale: number, rand: () => number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * rand() - 1) * scale;
  return out;
}

/** A fresh seed when none is given (tests draw new inputs every run and print the seed). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
