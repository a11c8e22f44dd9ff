import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../structures/random';
import { DEFAULT_STRATEGY, STRATEGIES, STRUCTURE_KINDS } from '../structures/kinds';
import { validateProblem } from '../structures/validate';
import { decodeExperiment, encodeExperiment } from './codec';
import { MAX_NOTICE_TEXT } from './notices';
import { encodeSnapshot } from './snapshot';
import { DEFAULT_EXPERIMENT, type ExperimentState } from './state';
import { randomExperiment, TEST_CATALOG } from './testing';

const presets = TEST_CATALOG;

/** What every decoded state must be, whatever the link: something the engine can run. */
function expectRunnable(state: ExperimentState): void {
  const structure =
    state.structure === 'dense'
      ? ({ kind: 'dense' } as const)
      : state.structure === 'lowrank'
        ? ({ kind: 'lowrank', rank: state.rank } as const)
        : ({ kind: state.structure, blocks: state.blocks, rank: state.rank } as const);
  expect(validateProblem({ shape: { m: state.m, n: state.n, tokens: state.tokens }, structure, dtype: state.dtype })).toEqual([]);
  expect(STRATEGIES[state.structure]).toContain(state.strategy);
}

describe('encodeExperiment', () => {
  it('writes the default experiment as a readable link, every field in table order', () => {
    expect(encodeExperiment(DEFAULT_EXPERIMENT)).toBe(
      'v=1&preset=llama-7b&layer=qkvo_proj&m=4096&n=4096&tokens=1024&structure=monarch&blocks=16&rank=1024' +
        '&strategy=partial&dtype=f32&path=auto&sweep=1,16,128,1024&views=structure,roofline,timing,compare&seed=1',
    );
  });

  it('writes a custom shape as preset=custom without a layer, and feeds URL-encoded, one key each', () => {
    const state: ExperimentState = {
      ...DEFAULT_EXPERIMENT,
      preset: null,
      layer: null,
      m: 96,
      n: 160,
      structure: 'blast',
      blocks: 4,
      rank: 32,
      views: [],
      feeds: ['https://example.org/a b.json?x=1&y=2', 'http://localhost:5173/feed.json'],
    };
    const query = encodeExperiment(state);
    expect(query).toContain('preset=custom&m=96&n=160');
    expect(query).not.toContain('layer=');
    expect(query).toContain('&views=&');
    expect(query).toContain('&feed=https%3A%2F%2Fexample.org%2Fa%20b.json%3Fx%3D1%26y%3D2&feed=http%3A%2F%2Flocalhost%3A5173%2Ffeed.json');
    expect(decodeExperiment(query)).toEqual({ state, notices: [], snapshot: null });
  });

  it('appends a results value last', () => {
    const results = encodeSnapshot([{ structure: 'dense', m: 8, n: 8, tokens: 1, strategy: 'tiled', dtype: 'f32', medianMs: 0.5 }], 'Test GPU');
    const query = encodeExperiment(DEFAULT_EXPERIMENT, { results });
    expect(query.endsWith(`&results=${results}`)).toBe(true);
    const decoded = decodeExperiment(`?${query}`, { presets });
    expect(decoded.notices).toEqual([]);
    expect(decoded.snapshot?.device).toBe('Test GPU');
  });
});

describe('round trip of random valid experiments', () => {
  const cases = 400;

  it(`decode(encode(state)) is state, with no notices, for ${cases} seeded experiments (with a preset catalog)`, () => {
    const rand = mulberry32(20261125);
    for (let i = 0; i < cases; i++) {
      const state = randomExperiment(rand);
      const query = encodeExperiment(state);
      const decoded = decodeExperiment(query, { presets });
      expect(decoded.notices, query).toEqual([]);
      expect(decoded.state, query).toEqual(state);
      expect(encodeExperiment(decoded.state)).toBe(query);
    }
  });

  it(`and without a catalog, from a string or URLSearchParams, for ${cases} more`, () => {
    const rand = mulberry32(7);
    for (let i = 0; i < cases; i++) {
      const state = randomExperiment(rand);
      const query = encodeExperiment(state);
      const search = i % 2 === 0 ? `?${query}` : new URLSearchParams(query);
      expect(decodeExperiment(search), query).toEqual({ state, notices: [], snapshot: null });
    }
  });

  it('decoded states are independent copies', () => {
    const { state } = decodeExperiment('v=1');
    state.sweep.push(99);
    state.views.pop();
    expect(DEFAULT_EXPERIMENT.sweep).toEqual([1, 16, 128, 1024]);
    expect(DEFAULT_EXPERIMENT.views).toHaveLength(4);
  });
});

describe('short, hand-written links', () => {
  it('an empty link is the default experiment, with a note that it has no version', () => {
    const { state, notices } = decodeExperiment('', { presets });
    expect(state).toEqual(DEFAULT_EXPERIMENT);
    expect(notices.map((n) => n.param)).toEqual(['v']);
  });

  it('a preset layer supplies the shape, tokens and the paper\'s knobs a link leaves out', () => {
    const { state, notices } = decodeExperiment('v=1&preset=gpt2-s&layer=c_attn&structure=blast', { presets });
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ preset: 'gpt2-s', layer: 'c_attn', m: 2304, n: 768, tokens: 384, blocks: 6, rank: 192, strategy: 'partial' });
  });

  it('a preset without a layer takes its first layer', () => {
    const { state, notices } = decodeExperiment('v=1&preset=llama-7b', { presets });
    expect(notices).toEqual([]);
    expect(state.layer).toBe('qkvo_proj');
  });

  it('m or n without a preset means a custom shape, with the knobs the controls would pick for it', () => {
    const { state, notices } = decodeExperiment('v=1&m=96&n=160&structure=monarch', { presets });
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ preset: null, layer: null, m: 96, n: 160, blocks: 4, rank: 24 });
    expectRunnable(state);
  });

  it('a structure without its strategy gets the structure\'s default, the same as a click on it', () => {
    for (const kind of STRUCTURE_KINDS) {
      const { state, notices } = decodeExperiment(`v=1&structure=${kind}`, { presets });
      expect(notices).toEqual([]);
      expect(state.strategy).toBe(DEFAULT_STRATEGY[kind]);
    }
    expect(DEFAULT_STRATEGY.lowrank).toBe('tiled');
    // The links the page writes name their strategy, so a structure's new default changes none of them.
    const fused = decodeExperiment(encodeExperiment({ ...DEFAULT_EXPERIMENT, structure: 'lowrank', rank: 1024, strategy: 'fused' }), { presets });
    expect(fused.state.strategy).toBe('fused');
  });

  it('DiT has no Monarch config, so Monarch there falls back to knobs that fit', () => {
    const { state, notices } = decodeExperiment('v=1&preset=dit-xl-2&layer=attn_qkv&structure=monarch', { presets });
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ m: 3456, n: 1152, blocks: 4, rank: 256 });
    expectRunnable(state);
  });
});

interface MalformedCase {
  name: string;
  query: string;
  /** params named by the notices, in order */
  params: string[];
  /** fields the decoded state must have */
  state?: Partial<ExperimentState>;
}

const SCRIPT = '<script>alert(1)</script>';

const MALFORMED: MalformedCase[] = [
  { name: 'trailing letters', query: 'v=1&tokens=12abc', params: ['tokens'], state: { tokens: 1024 } },
  { name: 'exponent overflow', query: 'v=1&tokens=1e999', params: ['tokens'], state: { tokens: 1024 } },
  { name: 'negative', query: 'v=1&blocks=-16', params: ['blocks'], state: { blocks: 16 } },
  { name: 'fraction', query: 'v=1&rank=1.5', params: ['rank'], state: { rank: 1024 } },
  { name: 'zero', query: 'v=1&tokens=0', params: ['tokens'], state: { tokens: 1024 } },
  { name: 'hex', query: 'v=1&m=0x1000&n=4096', params: ['m'], state: { m: 4096, preset: null } },
  { name: 'plus sign and spaces', query: 'v=1&tokens=+5&seed=%207', params: ['tokens', 'seed'], state: { tokens: 1024, seed: 1 } },
  { name: 'over the size cap', query: 'v=1&tokens=65537', params: ['tokens'] },
  { name: 'b over its limit', query: 'v=1&preset=custom&m=4096&n=4096&structure=blast&blocks=4096&rank=4096', params: ['blocks'], state: { blocks: 4, rank: 4096 } },
  { name: 'everything at 2^24', query: 'v=1&m=16777216&n=16777216&blocks=16777216&rank=16777216', params: ['m', 'n', 'blocks', 'rank'], state: { m: 4096, n: 4096, blocks: 16, rank: 1024 } },
  { name: 'seed over uint32', query: 'v=1&seed=4294967296', params: ['seed'], state: { seed: 1 } },
  { name: 'empty number', query: 'v=1&tokens=', params: ['tokens'] },
  { name: 'unknown keys', query: 'v=1&foo=1&Structure=dense&blocks=16', params: ['foo', 'Structure'], state: { structure: 'monarch' } },
  { name: 'enum not allowed', query: 'v=1&structure=butterfly&dtype=bf16', params: ['structure', 'dtype'], state: { structure: 'monarch', dtype: 'f32' } },
  { name: 'enum case matters', query: 'v=1&dtype=F16', params: ['dtype'], state: { dtype: 'f32' } },
  { name: 'strategy of another structure', query: 'v=1&structure=lowrank&strategy=partial', params: ['strategy'], state: { structure: 'lowrank', strategy: 'tiled' } },
  { name: 'strategy unknown', query: 'v=1&strategy=turbo', params: ['strategy'], state: { strategy: 'partial' } },
  { name: 'blocks not dividing the shape', query: 'v=1&blocks=12', params: ['blocks'], state: { blocks: 8, rank: 1024 } },
  { name: 'Monarch rank not a multiple of b', query: 'v=1&rank=1000', params: ['rank'], state: { rank: 1008 } },
  { name: 'rank over min(m, n)', query: 'v=1&preset=custom&m=64&n=128&structure=lowrank&rank=100', params: ['rank'], state: { rank: 64 } },
  { name: 'both knobs bad', query: 'v=1&preset=custom&m=96&n=160&structure=monarch&blocks=5&rank=7', params: ['blocks', 'rank'], state: { blocks: 4, rank: 8 } },
  { name: 'version missing', query: 'structure=blast', params: ['v'], state: { structure: 'blast' } },
  { name: 'version from the future', query: 'v=9&structure=blast&newthing=1', params: ['v', 'newthing'], state: { structure: 'blast' } },
  { name: 'version not a number', query: 'v=one', params: ['v'] },
  { name: 'version zero', query: 'v=0', params: ['v'] },
  { name: 'version twice', query: 'v=1&v=2', params: ['v'] },
  { name: 'duplicated key', query: 'v=1&structure=dense&structure=blast', params: ['structure'], state: { structure: 'monarch' } },
  { name: 'duplicated list key', query: 'v=1&sweep=1,2&sweep=3', params: ['sweep'], state: { sweep: [1, 16, 128, 1024] } },
  { name: 'script as a value', query: `v=1&preset=${encodeURIComponent(SCRIPT)}&layer=${SCRIPT}`, params: ['preset', 'layer'], state: { preset: 'llama-7b', layer: 'qkvo_proj' } },
  { name: 'script as a key', query: `v=1&${encodeURIComponent(SCRIPT)}=1`, params: [SCRIPT] },
  { name: 'script in a list', query: `v=1&views=structure,${SCRIPT}`, params: ['views'], state: { views: DEFAULT_EXPERIMENT.views } },
  { name: 'unknown preset', query: 'v=1&preset=llama-70b', params: ['preset'], state: { preset: 'llama-7b', layer: 'qkvo_proj', m: 4096 } },
  { name: 'unknown preset with a shape', query: 'v=1&preset=llama-70b&m=8192&n=8192&blocks=16&rank=1024', params: ['preset'], state: { preset: null, m: 8192, n: 8192 } },
  { name: 'unknown layer', query: 'v=1&preset=gpt2-s&layer=mlp.up', params: ['layer'], state: { layer: 'c_attn', m: 2304 } },
  { name: 'shape against the preset layer', query: 'v=1&preset=llama-7b&layer=qkvo_proj&m=96&n=4096', params: ['m'], state: { m: 4096 } },
  { name: 'layer on a custom shape', query: 'v=1&preset=custom&layer=qkvo_proj&m=64&n=64&blocks=4&rank=16', params: ['layer'], state: { preset: null, layer: null } },
  { name: 'javascript: feed', query: 'v=1&feed=javascript:alert(1)', params: ['feed'], state: { feeds: [] } },
  { name: 'data: and plain http feeds', query: 'v=1&feed=data:text/html,x&feed=http://evil.example/f.json&feed=https://ok.example/f.json', params: ['feed', 'feed'], state: { feeds: ['https://ok.example/f.json'] } },
  { name: 'feed with credentials', query: `v=1&feed=${encodeURIComponent('https://user:pw@example.org/f.json')}`, params: ['feed'], state: { feeds: [] } },
  { name: 'feed not a URL', query: 'v=1&feed=feeds.json', params: ['feed'], state: { feeds: [] } },
  { name: 'too many feeds', query: `v=1&${Array.from({ length: 9 }, (_, i) => `feed=https://e.org/${i}.json`).join('&')}`, params: ['feed'] },
  { name: 'sweep repeats a count', query: 'v=1&sweep=1,16,16', params: ['sweep'] },
  { name: 'sweep with a hole', query: 'v=1&sweep=1,,16', params: ['sweep'] },
  { name: 'views repeat', query: 'v=1&views=timing,timing', params: ['views'] },
  { name: 'broken percent-encoding', query: 'v=1&tokens=%E0%A4%A&%ZZ=1', params: ['%ZZ', 'tokens'] },
  { name: 'oversized snapshot', query: `v=1&results=${'A'.repeat(6004)}`, params: ['results'] },
  { name: 'snapshot of garbage', query: 'v=1&results=aGVsbG8gd29ybGQ', params: ['results'] },
  { name: 'snapshot twice', query: 'v=1&results=a&results=b', params: ['results'] },
];

describe('a corpus of malformed links', () => {
  it.each(MALFORMED)('$name → a notice per problem, defaults in their place', ({ query, params, state }) => {
    const decoded = decodeExperiment(query, { presets });
    expect(decoded.notices.map((n) => n.param)).toEqual(params);
    if (state) expect(decoded.state).toMatchObject(state);
    expectRunnable(decoded.state);
    for (const n of decoded.notices) {
      expect(n.message.length).toBeGreaterThan(0);
      expect(Array.from(n.value).length).toBeLessThanOrEqual(MAX_NOTICE_TEXT);
    }
  });

  it('keeps a script as inert text in the notice and out of the state', () => {
    const decoded = decodeExperiment(`v=1&layer=${encodeURIComponent(SCRIPT)}&x=${encodeURIComponent(SCRIPT)}`, { presets });
    expect(decoded.notices.map((n) => n.value)).toEqual([SCRIPT, SCRIPT]);
    expect(JSON.stringify(decoded.state)).not.toContain('<');
  });

  it('clips long values and shows hidden characters', () => {
    const [n] = decodeExperiment(`v=1&tokens=${'9'.repeat(500)}`).notices;
    expect(Array.from(n.value)).toHaveLength(MAX_NOTICE_TEXT);
    expect(n.value.endsWith('…')).toBe(true);
    const [hidden] = decodeExperiment(`v=1&dtype=${encodeURIComponent('f16\u202e\u0000')}`).notices;
    expect(hidden.value).toBe('f16\uFFFD\uFFFD');
  });

  it('tells what it used instead', () => {
    const { notices } = decodeExperiment('v=1&tokens=abc&structure=lowrank&strategy=partial', { presets });
    expect(notices).toEqual([
      { param: 'tokens', value: 'abc', message: 'expected a whole number from 1 to 65536; using 1024' },
      { param: 'strategy', value: 'partial', message: 'lowrank has no partial strategy (it has tiled, fused); using tiled' },
    ]);
  });

  it('never throws and always yields a runnable experiment, over 2000 random scrambled links', () => {
    const rand = mulberry32(99);
    const pieces = [
      'v', '1', '2', 'preset', 'custom', 'llama-7b', 'gpt2-s', 'layer', 'c_attn', 'm', 'n', 'tokens', 'structure', 'monarch',
      'blast', 'lowrank', 'dense', 'blocks', 'rank', 'strategy', 'fused', 'tiled', 'dtype', 'f16', 'sweep', 'views', 'seed',
      'feed', 'results', '=', '&', ',', '%', '%2', '+', '-', '.', '0', '3', '16', '96', '4096', '1e9', '&&', '==', '#', '?',
      'https://x.org', 'javascript:', SCRIPT, '\u0000', '\ud800', 'é',
    ];
    for (let i = 0; i < 2000; i++) {
      const length = 1 + Math.floor(rand() * 40);
      const query = Array.from({ length }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
      const decoded = decodeExperiment(query, i % 2 ? { presets } : {});
      if (decoded.state.preset !== null) {
        expect(decoded.state.preset).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      }
      expectRunnable(decoded.state);
      expect(decodeExperiment(encodeExperiment(decoded.state), i % 2 ? { presets } : {}).notices).toEqual([]);
    }
  });
});
