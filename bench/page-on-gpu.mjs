#!/usr/bin/env node
/**
 * The built site in Chromium on this machine's GPU, driven through its own controls as a
 * visitor drives it: for Llama-7B qkvo_proj at each token count, dense tiled, Monarch partial
 * and BLAST partial in f32 and f16, "Run one point", and the median the page shows, with the
 * timer it names. Writes them as JSON; given a `blr bench` feed of the same points, compares
 * each (within 10 %) and prints a table.
 *
 *   CHROMIUM=/path/to/chromium node bench/page-on-gpu.mjs [options]
 *
 *   --out FILE        the page's figures as JSON (default: page-on-gpu.json)
 *   --feed FILE       a blr-feed/1 document to compare with (blr bench --preset llama-7b --layer qkvo_proj …)
 *   --bench FILE      first run that blr bench (dist-cli/blr.mjs, npm run build:cli) for the same points,
 *                     into FILE, and compare with it: both on this machine in one run. Its --dawn
 *                     toggles: DAWN_FLAGS, else those that expose f16 on NVIDIA
 *   --tokens 1,16,1024   --dtypes f32,f16   --structures dense,monarch,blast
 *   --quantised       keep Chrome's timestamp rounding: no --enable-unsafe-webgpu (which turns it
 *                     off, and --enable-dawn-features=timestamp_quantization does not turn it back
 *                     on), so Chrome runs WebGPU at its default safety level, as for a visitor
 *   --swiftshader     a check of this script on a machine without a GPU: WebGPU on SwiftShader,
 *                     T=1 and f32 unless given; its figures are never a speed
 *   --flag F          one more Chromium switch (repeatable); CHROME_FLAGS adds more, space-separated
 *   --steps           also time each dispatch alone, in the page ("each dispatch alone too") and in
 *                     blr bench (--steps), and record both per dispatch
 *   --screenshot FILE the page at the end
 *   --page FILE       no browser: compare the figures of an earlier run (its --out) with --feed
 *
 * Needs dist/ (npm run build) and playwright-core. On an NVIDIA machine, VK_DRIVER_FILES may
 * need to name NVIDIA's Vulkan driver (its nvidia_icd.json) for Chromium to find it. Exit code 1 when a point compared with
 * the feed is more than 10 % off, or could not run.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const TOLERANCE = 0.1;

const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: 'page-on-gpu.json' },
    feed: { type: 'string' },
    tokens: { type: 'string' },
    dtypes: { type: 'string' },
    structures: { type: 'string', default: 'dense,monarch,blast' },
    quantised: { type: 'boolean', default: false },
    swiftshader: { type: 'boolean', default: false },
    flag: { type: 'string', multiple: true, default: [] },
    screenshot: { type: 'string' },
    page: { type: 'string' },
    bench: { type: 'string' },
    steps: { type: 'boolean', default: false },
  },
});

const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const tokens = list(opts.tokens ?? (opts.swiftshader ? '1' : '1,16,1024')).map(Number);
const dtypes = list(opts.dtypes ?? (opts.swiftshader ? 'f32' : 'f32,f16'));
const structures = list(opts.structures);
for (const t of tokens) if (!Number.isInteger(t) || t < 1) throw new Error(`--tokens: '${t}' is not a whole number ≥ 1`);
for (const d of dtypes) if (!['f32', 'f16'].includes(d)) throw new Error(`--dtypes: '${d}' is not f32 or f16`);
for (const s of structures) if (!['dense', 'monarch', 'blast'].includes(s)) throw new Error(`--structures: '${s}' is not dense, monarch or blast`);

/**
 * What the structure radios are called, the strategy each is timed with, and how the page names
 * the layer (the preset's blocks and ranks for qkvo_proj).
 */
const KERNELS = {
  dense: { radio: /^Dense/, strategy: 'tiled', name: 'dense' },
  monarch: { radio: /^Monarch/, strategy: 'partial', name: 'Monarch b=16 R=1024' },
  blast: { radio: /^BLAST/, strategy: 'partial', name: 'BLAST b=16 r=1024' },
};

const BASE_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/**
 * Chromium on NVIDIA under Linux: WebGPU through Vulkan, with f16 (a Dawn toggle on NVIDIA).
 * Headless, Chromium asks Vulkan for VK_EXT_headless_surface, which NVIDIA's driver lacks; its
 * GPU process then falls back to software and offers no WebGPU adapter, unless
 * --disable-vulkan-surface leaves surfaces out.
 */
const GPU_FLAGS = ['--enable-features=Vulkan', '--use-vulkan', '--disable-vulkan-surface', '--use-angle=vulkan', '--enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia'];

function chromiumFlags() {
  const extra = [...opts.flag, ...(process.env.CHROME_FLAGS ?? '').split(/\s+/).filter(Boolean)];
  if (opts.swiftshader) return [...BASE_FLAGS, '--enable-unsafe-webgpu', ...extra];
  // --enable-unsafe-webgpu also turns Chrome's timestamp rounding off; without it Chrome keeps
  // the rounding, and on Linux it needs its GPU blocklist lifted to offer an adapter at all.
  return [...BASE_FLAGS, ...(opts.quantised ? ['--ignore-gpu-blocklist'] : ['--enable-unsafe-webgpu']), ...GPU_FLAGS, ...extra];
}

/** dist/ on 127.0.0.1 (a secure context as "localhost"). */
async function serveDist() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };
  const server = createServer((req, res) => {
    let file = join(DIST, normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(DIST) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://localhost:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** The page's "45.6 µs", "1.23 ms", "12.6 s" in ms. */
function parseMs(text) {
  const m = /([\d.]+)\s*(µs|ms|s)$/.exec(text.trim());
  if (!m) throw new Error(`not a time: '${text}'`);
  return Number(m[1]) * { µs: 1e-3, ms: 1, s: 1e3 }[m[2]];
}

async function choose(page, name) {
  const radio = page.getByRole('radio', { name });
  if (await radio.isDisabled()) return false;
  await radio.check();
  return true;
}

async function setTokens(page, t) {
  const field = page.getByLabel('Tokens T (batch × sequence)', { exact: true });
  await field.fill(String(t));
  await field.press('Enter');
}

/** One point through the controls and "Run one point": what the page shows once it is idle again. */
async function runPoint(page, structure, dtype, t) {
  const { radio, strategy, name } = KERNELS[structure];
  const point = { structure, strategy, dtype, tokens: t };
  await page.getByRole('radio', { name: radio }).check();
  if (!(await choose(page, new RegExp(`^${strategy}`)))) return { ...point, error: `strategy ${strategy} is disabled` };
  if (!(await choose(page, new RegExp(`^${dtype}`)))) return { ...point, error: `${dtype} is disabled: ${await page.locator(`#dtype-${dtype}-note`).textContent()}` };
  await setTokens(page, t);
  const alone = page.getByRole('checkbox', { name: 'each dispatch alone too' });
  if (opts.steps && (await alone.count())) await alone.check();
  await page.getByRole('button', { name: 'Run one point' }).click();
  // Done when the button is back and the result, led by this point's name (a running point is
  // led by its phase), is checked, timed and, for a structured layer, set beside dense.
  const label = `${name} · ${strategy} · 4096 → 4096 · T=${t} · ${dtype}`;
  await page.waitForFunction(
    (label) => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Run one point');
      const text = document.querySelector('[data-testid=point-result]')?.textContent?.trim() ?? '';
      return button && !button.disabled && (text.startsWith(label) || text.startsWith(`Could not run ${label}`));
    },
    label,
    { timeout: 600_000, polling: 250 },
  );
  const result = page.getByTestId('point-result');
  const text = ((await result.textContent()) ?? '').trim();
  if (!(await page.getByTestId('point-ms').count())) return { ...point, error: text };
  const shown = (await page.getByTestId('point-ms').textContent()).trim();
  return {
    ...point,
    medianMs: parseMs(shown),
    shown,
    spread: (await result.locator('.ms + .muted').textContent())?.trim(),
    timer: (await page.getByTestId('timer-note').textContent())?.trim(),
    check: (await page.getByTestId('point-check').count()) ? (await page.getByTestId('point-check').textContent()).trim() : undefined,
    ...(opts.steps ? { steps: await stepsShown(page) } : {}),
  };
}

/** The page's table of each dispatch timed alone: name, median (ms) and runs a sample. */
async function stepsShown(page) {
  const rows = page.getByTestId('point-steps').locator('tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const [name, ms, runs] = await rows.nth(i).locator('td').allTextContents();
    out.push({ name: name.trim(), medianMs: parseMs(ms), runsPerSample: Number(runs) });
  }
  return out;
}

/** The feed's median for a point, where it has Llama-7B qkvo_proj at that size in `implementation: wgsl-dawn`. */
function feedMedian(feed, p) {
  const r = feed.results.find(
    (r) => r.shape.m === 4096 && r.shape.n === 4096 && r.shape.tokens === p.tokens && r.structure.kind === p.structure && r.strategy === p.strategy && r.dtype === p.dtype && r.implementation === 'wgsl-dawn',
  );
  return r ? { medianMs: r.latency.medianMs, sampling: r.provenance?.source, steps: r.steps } : null;
}

const fmt = (ms) => (ms === undefined ? '–' : ms >= 1e3 ? `${Number((ms / 1e3).toPrecision(3))} s` : ms >= 1 ? `${Number(ms.toPrecision(3))} ms` : `${Number((ms * 1e3).toPrecision(3))} µs`);

/** Each point beside the feed's median for it: their ratio, and whether it is within TOLERANCE. */
function compare(points, feed) {
  return points.map((p) => {
    const b = feedMedian(feed, p);
    const ratio = p.medianMs !== undefined && b ? p.medianMs / b.medianMs : undefined;
    // each dispatch alone, where both timed them: page / bench per dispatch, in plan order
    const stepRatios = p.steps && b?.steps?.length === p.steps.length ? p.steps.map((s, i) => ({ name: s.name, ratio: s.medianMs / b.steps[i].medianMs })) : undefined;
    return { ...p, benchMs: b?.medianMs, benchSampling: b?.sampling, ...(b?.steps ? { benchSteps: b.steps } : {}), ...(stepRatios ? { stepRatios } : {}), ratio, within: ratio !== undefined && Math.abs(ratio - 1) <= TOLERANCE };
  });
}

function table(rows) {
  const head = ['structure', 'strategy', 'dtype', 'T', 'page', 'blr bench', 'page / bench', 'within 10 %', 'page timer'];
  const cells = rows.map((r) => [
    r.structure, r.strategy, r.dtype, String(r.tokens), fmt(r.medianMs), r.benchMs === undefined ? 'not in feed' : fmt(r.benchMs),
    r.ratio === undefined ? '–' : r.ratio.toFixed(3), r.within ? 'yes' : 'NO', r.timer?.replace(/^Timer: /, '').replace(/\..*$/, '') ?? r.error ?? '',
  ]);
  const all = [head, ...cells];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** blr bench for the same points, into `out`: the figures the page's are compared with. */
function runBench(out) {
  const strategies = [...new Set(structures.map((s) => KERNELS[s].strategy))].join(',');
  const args = ['dist-cli/blr.mjs', 'bench', '--preset', 'llama-7b', '--layer', 'qkvo_proj', '--tokens', tokens.join(','), '--dtype', dtypes.join(','),
    '--structures', structures.join(','), '--strategies', strategies, '--out', out,
    '--dawn', process.env.DAWN_FLAGS ?? 'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia',
    ...(opts.steps ? ['--steps'] : []), ...(opts.swiftshader ? ['--quick', '--reps', '3'] : [])];
  process.stderr.write(`node ${args.join(' ')}\n`);
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Compares an earlier run's figures with the feed, printing the table. */
function compareOnly() {
  if (!opts.feed) throw new Error('--page needs --feed, the feed to compare with');
  const earlier = JSON.parse(readFileSync(opts.page, 'utf8'));
  const rows = compare(earlier.points, JSON.parse(readFileSync(opts.feed, 'utf8')));
  const failed = rows.filter((r) => !r.within).length;
  process.stdout.write(`${earlier.adapter} (${earlier.mode}, Chromium ${earlier.chromium})\n${table(rows)}\n${rows.length - failed} of ${rows.length} points within ${TOLERANCE * 100} % of ${opts.feed}\n`);
  return failed ? 1 : 0;
}

async function main() {
  if (opts.page) return compareOnly();
  if (opts.bench) {
    runBench(opts.bench);
    opts.feed = opts.bench;
  }
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const args = chromiumFlags();
  const site = await serveDist();
  const browser = await chromium.launch({ executablePath, headless: true, args });
  const points = [];
  let failed = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(site.url);
    await page.getByLabel('Model', { exact: true }).selectOption('llama-7b');
    await page.getByLabel('Layer', { exact: true }).selectOption('qkvo_proj');
    await page.waitForFunction(() => !/Looking for a GPU/.test(document.querySelector('[data-testid=adapter]')?.textContent ?? ''), null, { timeout: 120_000 });
    const adapter = (await page.getByTestId('adapter').textContent()).trim();
    process.stderr.write(`chromium ${browser.version()} (${executablePath})\nflags: ${args.join(' ')}\n${adapter}\n`);
    if (!/^GPU:/.test(adapter)) throw new Error(`the page found no WebGPU adapter: ${adapter}`);
    // what the browser's adapter offers (its limits may be rounded down to tiers), beside Dawn's in blr bench
    const adapterLimits = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      if (!a) return null;
      const names = ['maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'];
      return { ...Object.fromEntries(names.map((n) => [n, a.limits[n]])), subgroupMaxSize: a.info.subgroupMaxSize, features: [...a.features].sort() };
    });
    process.stderr.write(`adapter limits in the browser: ${JSON.stringify(adapterLimits)}\n`);
    const features = (await page.getByTestId('feature-advice').count()) ? (await page.getByTestId('feature-advice').locator('summary').textContent()).trim() : 'has shader-f16, timestamp-query and subgroup matrices';
    for (const dtype of dtypes) {
      for (const t of tokens) {
        for (const structure of structures) {
          const started = Date.now();
          const p = await runPoint(page, structure, dtype, t);
          points.push(p);
          process.stderr.write(`${structure} ${p.strategy} ${dtype} T=${t}: ${p.error ? `did not run: ${p.error}` : `${p.shown} (${p.spread}); ${p.timer}`} [${((Date.now() - started) / 1e3).toFixed(1)} s]\n`);
        }
      }
    }
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true });
    const comparison = opts.feed ? compare(points, JSON.parse(readFileSync(opts.feed, 'utf8'))) : undefined;
    const record = {
      generated: new Date().toISOString(),
      chromium: browser.version(),
      flags: args,
      mode: opts.swiftshader ? 'swiftshader' : opts.quantised ? 'quantised' : 'unquantised',
      adapter,
      adapterLimits,
      features,
      layer: 'llama-7b qkvo_proj (4096 × 4096)',
      ...(comparison ? { feed: opts.feed, tolerance: TOLERANCE } : {}),
      points: comparison ?? points,
    };
    writeFileSync(opts.out, `${JSON.stringify(record, null, 1)}\n`);
    process.stderr.write(`wrote ${points.length} points to ${opts.out}\n`);
    if (comparison) {
      failed = comparison.filter((r) => !r.within).length;
      process.stdout.write(`${table(comparison)}\n${comparison.length - failed} of ${comparison.length} points within ${TOLERANCE * 100} % of ${opts.feed}\n`);
    } else {
      failed = points.filter((p) => p.error).length;
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`page-on-gpu: ${e instanceof Error ? e.message : e}\n`);
    process.exit(2);
  },
);
