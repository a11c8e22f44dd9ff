/**
 * 200 seeded random links and feeds, built from valid ones by hostile edits (values past the
 * limits, markup, broken numbers, thousands of keys, crafted snapshots, feeds with broken or
 * extreme fields), against the built site on a sub-path. Each must leave a page that shows a
 * notice or the loaded feeds, throws nothing, never holds the main thread for a second, draws
 * no NaN or Infinity, turns no input into an element and is no wider than the window.
 *
 * One page goes through them all: every tenth case is a fresh load; the others open their link
 * the way the page does on a history move (popstate), which is the same code path.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/lib/limits';
import { PRESETS } from '../src/lib/presets';
import { encodeExperiment } from '../src/lib/share/codec';
import { packText } from '../src/lib/share/packing';
import { encodeSnapshot, type SnapshotPoint } from '../src/lib/share/snapshot';
import { randomExperiment } from '../src/lib/share/testing';
import { mulberry32 } from '../src/lib/structures/random';
import { launchBrowser, screenshotPath, serveDist, viewsMounted, type Site } from './harness';
import { MARKUP, feedFor, gzipBomb, health, resetLongTasks, serveFeeds, watchLongTasks, type Answer, type FeedServer } from './hostile-kit';

const CASES = 200;
const FRESH_EVERY = 10;

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const BAD_NUMBERS = ['', '+5', ' 7', '-1', '0', '1.5', '1e3', '1e999', 'NaN', 'Infinity', '0x10', '٣', '12abc', '65', '65537', '16777216', '4294967296', '9'.repeat(400)];
const BAD_TEXT = [...MARKUP, '\u202egnp.exe', '\u0000', 'custom', 'llama-7b', 'x'.repeat(3000), '%', '%E0%A4%A', 'é'.repeat(100), 'a|b|c', '<x-hostile>|wgsl-dawn|f32'];
const KEYS = ['v', 'preset', 'layer', 'm', 'n', 'tokens', 'structure', 'blocks', 'rank', 'strategy', 'dtype', 'sweep', 'views', 'seed', 'feed', 'draw', 'results'];

/** A crafted `results` value: valid points (some twice), an extreme field, markup as the device, garbage, or too many. */
function snapshotValue(rand: Rand): string {
  const point = (): SnapshotPoint => ({ structure: 'monarch', blocks: 16, rank: 1024, m: 4096, n: 4096, tokens: pick(rand, [1, 16, 128, 1024]), strategy: pick(rand, ['unfused', 'partial', 'fused'] as const), dtype: 'f32', medianMs: Number((rand() * 10 + 0.01).toPrecision(3)) });
  const raw = (device: string, points: unknown[]) => packText(JSON.stringify({ v: 1, device, points }));
  switch (int(rand, 0, 5)) {
    case 0: {
      const points = Array.from({ length: int(rand, 1, 30) }, point);
      return raw(pick(rand, [...MARKUP, 'NVIDIA H100 (verified)']), [...points, ...points.slice(0, int(rand, 0, points.length))]);
    }
    case 1:
      return raw('GPU', [{ ...point(), [pick(rand, ['medianMs', 'm', 'blocks', 'rank', 'tokens'])]: pick(rand, [1e308, 5e-324, 0, -1, 2 ** 24, 65, 1.5]) }]);
    case 2:
      return raw('GPU', Array.from({ length: pick(rand, [513, 1500]) }, point));
    case 3:
      return pick(rand, ['A'.repeat(LIMITS.snapshotChars + 1), 'aGVsbG8', '', '%%%', packText('{"v":1')]);
    default:
      return encodeSnapshot(Array.from({ length: int(rand, 1, 20) }, point), pick(rand, ['Apple M2', ...MARKUP]));
  }
}

/** A feed answer: valid or broken in one to three fields, or not a feed at all. */
function feedAnswer(rand: Rand): Answer {
  const devices = Array.from({ length: int(rand, 1, 3) }, (_, i) => ({ id: pick(rand, [`dev-${i}`, 'nvidia-a40', 'nvidia-h200']) + (i ? `-${i}` : ''), name: pick(rand, ['Board', 'NVIDIA A40', 'N'.repeat(1999), 'ボード \u202e', 'x']) }));
  const feed = feedFor(devices, {}, int(rand, 1, 24)) as Record<string, any>;
  const edits = int(rand, 0, 3);
  for (let e = 0; e < edits; e++) {
    const r = feed.results[int(rand, 0, feed.results.length - 1)];
    const d = feed.devices[0];
    switch (int(rand, 0, 9)) {
      case 0:
        r.latency.medianMs = pick(rand, [1e308, 5e-324, 0, -1, 1e-6, 1e7, 'NaN', null]);
        break;
      case 1:
        r.shape[pick(rand, ['m', 'n', 'tokens'])] = pick(rand, [0, 1.5, 65536, 65537, 2 ** 24, '64']);
        break;
      case 2:
        r.structure = pick(rand, [{ kind: 'blast', blocks: 4096, rank: 4096 }, { kind: 'monarch', blocks: 64, rank: 4096 }, { kind: 'lowrank', rank: 1 }, { kind: 'sparse' }]);
        break;
      case 3:
        d[pick(rand, ['name', 'id'])] = pick(rand, [...MARKUP, '', 'y'.repeat(2001), 'nvidia-a40']);
        break;
      case 4:
        feed.generated = pick(rand, ['2026-01-17T10:00:00+05', 'yesterday', '2026-13-45T99:00:00Z', '2026-01-17T10:00:00+05:00', '+275760-09-13T00:00:00Z']);
        break;
      case 5:
        d.peakBandwidthGiBs = pick(rand, [1e300, -1, 0, 1e6]);
        d.peakFlops = { bf16: pick(rand, [1e30, 1e19, 0]) };
        break;
      case 6:
        r.device = 'ghost';
        break;
      case 7:
        feed.devices.push({ ...d });
        break;
      case 8:
        r.steps = Array.from({ length: pick(rand, [1, 300]) }, (_, i) => ({ name: `s${i}`, medianMs: pick(rand, [0.1, -1]) }));
        break;
      default:
        feed.title = pick(rand, ['T'.repeat(1999), ...MARKUP, 'fine']);
    }
  }
  switch (int(rand, 0, 11)) {
    case 0:
      return { status: pick(rand, [404, 500, 301]) };
    case 1:
      return { status: 200, body: pick(rand, ['', 'not json', '[1,2]', '{"schema":"blr-feed/1"}']) };
    case 2:
      return { json: feed, cors: false };
    case 3:
      return gzipBomb();
    default:
      return { json: feed };
  }
}

interface Case {
  query: string;
  /** the URL of the case's own feed, when it has one */
  feed?: string;
}

/** A valid link edited one to five times, maybe with a feed of its own and a snapshot. */
function makeCase(rand: Rand, i: number, server: FeedServer): Case {
  const params: [string, string][] = [...new URLSearchParams(encodeExperiment({ ...randomExperiment(rand, PRESETS), feeds: [] }))];
  let feed: string | undefined;
  const edits = int(rand, 1, 5);
  for (let e = 0; e < edits; e++) {
    const at = int(rand, 0, params.length - 1);
    switch (int(rand, 0, 9)) {
      case 0:
      case 1:
        params[at] = [params[at][0], pick(rand, BAD_NUMBERS)];
        break;
      case 2:
        params[at] = [params[at][0], pick(rand, BAD_TEXT)];
        break;
      case 3:
        params.push([pick(rand, [...KEYS, ...MARKUP, 'utm_source', ' tokens']), pick(rand, [...BAD_NUMBERS, ...BAD_TEXT])]);
        break;
      case 4: {
        const count = pick(rand, [3, 6, 50, 5000]);
        for (let k = 0; k < count; k++) params.push([`k${k}`, '1']);
        break;
      }
      case 5:
        params.splice(at, 1);
        break;
      case 6:
        params.push(['results', snapshotValue(rand)]);
        break;
      case 7:
        params.push(['feed', pick(rand, ['javascript:alert(1)', 'data:text/html,x', 'http://example.org/f.json', `https://${'a'.repeat(2100)}.org/`, 'https://user:pw@example.org/f.json', 'feeds.json'])]);
        break;
      case 8:
        params.push(['draw', pick(rand, ['nvidia-a40|cost-model|bf16', ...BAD_TEXT])]);
        break;
      default:
        feed ??= server.set(`/gen/${i}.json`, feedAnswer(rand));
    }
  }
  if (feed) params.push(['feed', feed]);
  return { query: new URLSearchParams(params).toString(), feed };
}

let site: Site;
let server: FeedServer;
let browser: Browser;

beforeAll(async () => {
  site = await serveDist('blr');
  server = await serveFeeds();
  browser = await launchBrowser({ webgpu: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
});

/** Shows `query` as the page would: a fresh load, or the link opened on a history move. */
async function visit(page: Page, query: string, fresh: boolean): Promise<void> {
  if (fresh) {
    await page.goto(`${site.url}?${query}`);
  } else {
    await resetLongTasks(page);
    await page.evaluate((q) => {
      history.pushState(null, '', `?${q}`);
      dispatchEvent(new PopStateEvent('popstate'));
    }, query);
  }
  // Mounted: the controls are always there (the link may hide every view), and the views after them.
  await page.locator('form[aria-label="Experiment"]').waitFor();
  await viewsMounted(page);
}

describe(`${CASES} generated hostile links and feeds (seeded)`, () => {
  it('each leaves a working page: something shown, nothing thrown, frozen, NaN or injected', async () => {
    const started = Date.now();
    const rand = mulberry32(20_260_121);
    const cases = Array.from({ length: CASES }, (_, i) => makeCase(rand, i, server));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await watchLongTasks(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const failures: string[] = [];
    let longest = 0;
    let notices = 0;
    let loaded = 0;
    let refused = 0;
    for (const [i, c] of cases.entries()) {
      errors.length = 0;
      await visit(page, c.query, i % FRESH_EVERY === 0);
      // Settled: the default feed and the case's own have an outcome.
      await page.locator('[data-testid=feed-sources] li[data-origin=default]:not([data-state=loading])').waitFor({ timeout: 30_000 });
      if (c.feed) await page.locator(`[data-testid=feed-sources] li[data-origin="${c.feed}"]:not([data-state=loading])`).waitFor({ timeout: 30_000 });
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
      const shown = page.getByTestId('link-notices').or(page.locator('[data-testid=feed-sources] li[data-origin=default][data-state=loaded]'));
      const visible = await shown.first().isVisible();
      const h = await health(page);
      const state = c.feed ? await page.locator(`[data-testid=feed-sources] li[data-origin="${c.feed}"]`).getAttribute('data-state') : null;
      notices += Number(await page.getByTestId('link-notices').isVisible());
      loaded += Number(state === 'loaded');
      refused += Number(state === 'refused');
      longest = Math.max(longest, h.longestTaskMs);
      const problems = [
        ...(visible ? [] : ['no notice and no loaded feed shown']),
        ...errors.map((e) => `page error: ${e}`),
        ...(h.longestTaskMs >= 1000 ? [`a ${Math.round(h.longestTaskMs)} ms task`] : []),
        ...h.badSvg.slice(0, 3),
        ...h.injected,
        ...(h.overflowPx > 0 ? [`${h.overflowPx} px wider than the window`] : []),
      ];
      if (problems.length) {
        failures.push(`case ${i} (?${c.query.slice(0, 200)}): ${problems.join('; ')}`);
        await page.screenshot({ path: screenshotPath(`hostile-generated-${i}`), fullPage: true });
      }
    }
    console.info(
      `${CASES} cases in ${Math.round((Date.now() - started) / 1000)} s: ${notices} with notices, ${loaded} feeds loaded, ${refused} refused; longest task ${Math.round(longest)} ms`,
    );
    await context.close();
    expect(failures).toEqual([]);
    // The set exercised what it is for: notices, and feeds both loaded and refused.
    expect(notices).toBeGreaterThan(CASES / 2);
    expect(loaded).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  }, 600_000);
});
