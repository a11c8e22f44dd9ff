/** Test helpers for the link codec: a small preset catalog and seeded valid experiments. */
import { DTYPES, type StructureKind } from '../structures/types';
import { STRATEGIES, structure as structureModule, STRUCTURE_KINDS } from '../structures/kinds';
import { LIMITS } from '../limits';
import type { PresetCatalog } from './resolve';
import { PATH_CHOICES, VIEW_IDS, type ExperimentState } from './state';

/** Shaped like the paper's configs; DiT has no Monarch config. */
export const TEST_CATALOG: PresetCatalog = [
  {
    id: 'llama-7b',
    layers: [
      { id: 'qkvo_proj', n: 4096, m: 4096, tokens: 1024, monarch: { blocks: 16, rank: 1024 }, blast: { blocks: 16, rank: 1024 }, lowrank: { rank: 1024 } },
      { id: 'gate_up_proj', n: 4096, m: 11008, tokens: 1024, monarch: { blocks: 16, rank: 1536 }, blast: { blocks: 16, rank: 1488 }, lowrank: { rank: 1488 } },
    ],
  },
  {
    id: 'gpt2-s',
    layers: [{ id: 'c_attn', n: 768, m: 2304, tokens: 384, monarch: { blocks: 4, rank: 192 }, blast: { blocks: 6, rank: 192 }, lowrank: { rank: 192 } }],
  },
  {
    id: 'dit-xl-2',
    layers: [{ id: 'attn_qkv', n: 1152, m: 3456, tokens: 256, monarch: null, blast: { blocks: 3, rank: 288 }, lowrank: { rank: 288 } }],
  },
];

type Rand = () => number;

const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const choose = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

function shuffled<T>(rand: Rand, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rand, 0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const FEED_URLS = [
  'https://example.org/feeds/h100.json',
  'https://raw.example.com/a,b/run 1.json?x=1&y=a+b#top',
  'http://localhost:8080/feed.json',
  'http://127.0.0.1/feed.json?device=Apple%20M2',
  'https://例え.jp/フィード.json',
];

const FEED_GROUPS = ['nvidia-a40|cost-model|bf16', 'nvidia-h100-80gb-hbm3|wgsl-dawn|f32', 'board, rev 2|cublas|f16', 'ボード|torch-eager|bf16'];

/**
 * A valid experiment: a catalog layer or a custom shape whose sizes share a block count, knobs
 * that fit (b divides m and n, Monarch's R a multiple of b, ranks within min(m, n)), and a
 * strategy the structure has. Knobs a structure ignores are arbitrary.
 */
export function randomExperiment(rand: Rand, catalog: PresetCatalog = TEST_CATALOG): ExperimentState {
  let preset: string | null = null;
  let layer: string | null = null;
  let m: number;
  let n: number;
  let b = choose(rand, [1, 2, 3, 4, 6, 8, 16, 32, 64]);
  if (rand() < 0.4) {
    const p = choose(rand, catalog);
    const l = choose(rand, p.layers);
    [preset, layer, m, n] = [p.id, l.id, l.m, l.n];
    while (m % b !== 0 || n % b !== 0) b = Math.max(1, Math.floor(b / 2));
  } else {
    m = b * int(rand, 1, rand() < 0.2 ? LIMITS.size / b : 64);
    n = b * int(rand, 1, rand() < 0.2 ? LIMITS.size / b : 64);
  }
  const structure: StructureKind = choose(rand, STRUCTURE_KINDS);
  const small = Math.min(m, n);
  let blocks = int(rand, 1, LIMITS.blocks);
  let rank = int(rand, 1, LIMITS.rank);
  const kind = structureModule(structure);
  const step = kind.rankStep(b);
  if (kind.knobs.includes('rank')) rank = step * int(rand, 1, Math.floor(small / step));
  if (kind.knobs.includes('blocks')) blocks = b;

  const sweep = shuffled(rand, [1, 2, 7, 16, 64, 128, 512, 1000, 1024, 4096, 65536])
    .slice(0, int(rand, 1, 8))
    .sort((x, y) => x - y);
  return {
    preset,
    layer,
    m,
    n,
    tokens: int(rand, 1, rand() < 0.5 ? 64 : LIMITS.tokens),
    structure,
    blocks,
    rank,
    strategy: choose(rand, STRATEGIES[structure]),
    dtype: choose(rand, DTYPES),
    path: choose(rand, PATH_CHOICES),
    sweep,
    views: shuffled(rand, VIEW_IDS).slice(0, int(rand, 0, VIEW_IDS.length)),
    feeds: shuffled(rand, FEED_URLS).slice(0, int(rand, 0, 3)),
    drawn: rand() < 0.4 ? null : shuffled(rand, FEED_GROUPS).slice(0, int(rand, 0, 3)),
    seed: rand() < 0.1 ? LIMITS.seed : int(rand, 0, 2 ** 31),
  };
}
