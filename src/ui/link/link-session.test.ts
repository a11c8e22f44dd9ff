/**
 * LinkSession through the project's Vite config (server build, as the store test does): what a
 * link opens, and what "Share with results" attaches. The address bar itself is covered by e2e.
 */
import { resolve } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExperiment, encodeExperiment } from '../../lib/share/codec';
import { DEFAULT_EXPERIMENT } from '../../lib/share/state';
import type { Problem } from '../../lib/structures/types';
import type { GpuWorkerApi } from '../../worker/protocol';
import type { Playground as PlaygroundClass } from '../store.svelte';
import { measurementKey } from '../store.svelte';
import type { LinkSession as LinkSessionClass } from './link-session.svelte';

let server: ViteDevServer;
let Playground: typeof PlaygroundClass;
let LinkSession: typeof LinkSessionClass;

beforeAll(async () => {
  const root = resolve(import.meta.dirname, '..', '..', '..');
  server = await createServer({ root, configFile: resolve(root, 'vite.config.ts'), server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'silent' });
  ({ Playground } = await server.ssrLoadModule('/src/ui/store.svelte.ts'));
  ({ LinkSession } = await server.ssrLoadModule('/src/ui/link/link-session.svelte.ts'));
});

afterAll(() => server?.close());

const PAGE = 'https://example.org/sub/path/?old=1';
const summary = { vendor: 'acme', architecture: 'x1', device: '', description: 'Acme X1', isFallbackAdapter: false, features: [], limits: {}, dtypes: ['f32' as const] };

function session() {
  const store = new Playground({} as GpuWorkerApi, null);
  return { store, link: new LinkSession(store) };
}

function measure(store: PlaygroundClass, count: number) {
  store.gpu = { state: 'ready', summary };
  const monarch: Problem = { shape: { m: 160, n: 96, tokens: 1 }, structure: { kind: 'monarch', blocks: 4, rank: 32 }, dtype: 'f32' };
  for (let t = 1; t <= count; t++) store.timings[measurementKey({ ...monarch, shape: { ...monarch.shape, tokens: t } }, 'partial')] = Math.PI * t;
}

describe('LinkSession', () => {
  it('opens a link: its experiment in the store, its problems as notices, the address query normalised', () => {
    const { store, link } = session();
    link.open('?v=1&preset=gpt2-s&layer=c_attn&tokens=12abc&structure=blast');
    expect(store.experiment.preset).toBe('gpt2-s');
    expect(store.experiment.structure).toBe('blast');
    expect(link.notices.map((n) => n.param)).toEqual(['tokens']);
    expect(link.query).toBe(encodeExperiment(store.experiment));
    expect(link.title).toMatch(/^GPT2-S c_attn · BLAST b=\d+ r=\d+ · T=\d+ — BLR Playground$/);
    link.dismissNotices();
    expect(link.notices).toEqual([]);
  });

  it('opens a bare address as the default experiment, with nothing to report', () => {
    const { store, link } = session();
    link.open('');
    expect(store.experiment).toEqual(DEFAULT_EXPERIMENT);
    expect(link.notices).toEqual([]);
    link.open('?tokens=7');
    expect(link.notices.map((n) => n.param)).toEqual(['v']);
  });

  it('builds the page address on whatever path the site is served from', () => {
    const { link } = session();
    link.open('');
    expect(link.urlFrom(PAGE)).toBe(`https://example.org/sub/path/?${encodeExperiment(DEFAULT_EXPERIMENT)}`);
  });

  it('shares this session’s measurements in the link, read back as from this device', () => {
    const { store, link } = session();
    link.open('');
    measure(store, 3);
    const outcome = link.shareWithResults(PAGE);
    expect(outcome.ok).toBe(true);
    const url = outcome.ok ? outcome.url : '';
    expect(link.query).toContain('&results=');
    const opened = decodeExperiment(new URL(url).search);
    expect(opened.snapshot?.device).toBe('acme · x1 · Acme X1');
    expect(opened.snapshot?.points.map((p) => p.medianMs)).toEqual([3.142, 6.283, 9.425]);
  });

  it('says why when there is nothing to share or too much', () => {
    const { store, link } = session();
    link.open('');
    expect(link.shareWithResults(PAGE)).toEqual({ ok: false, message: 'Nothing measured on this GPU yet: run one point or a sweep first.' });
    measure(store, 2000);
    const outcome = link.shareWithResults(PAGE);
    expect(outcome.ok ? '' : outcome.message).toBe('snapshot too large: 2000 points, over the 512-point cap; share fewer points');
    expect(link.query).not.toContain('results=');
  });

  it('opens results a link carries and keeps them in the address', () => {
    const { store, link } = session();
    link.open('');
    measure(store, 2);
    const shared = link.shareWithResults(PAGE);
    const other = session();
    other.link.open(new URL(shared.ok ? shared.url : PAGE).search);
    expect(other.link.snapshot?.points).toHaveLength(2);
    expect(other.link.query).toBe(link.query);
  });
});
