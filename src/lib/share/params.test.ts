import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFeedUrl, PARAMS } from './params';
import { DEFAULT_EXPERIMENT, type ExperimentState } from './state';

function read(key: string, ...raws: string[]): { given: Partial<ExperimentState>; messages: string[] } {
  const param = PARAMS.find((p) => p.key === key);
  if (!param) throw new Error(`no parameter ${key}`);
  const given: Partial<ExperimentState> = {};
  const messages = param.read(raws, given).map((r) => r.message);
  return { given, messages };
}

describe('the parameter table', () => {
  it('has one row per key and covers every field of the experiment', () => {
    const keys = PARAMS.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(PARAMS.map((p) => p.field).sort()).toEqual(Object.keys(DEFAULT_EXPERIMENT).sort());
  });

  it('is documented in docs/links.md, key by key', () => {
    const doc = readFileSync(new URL('../../../docs/links.md', import.meta.url), 'utf8');
    for (const key of ['v', ...PARAMS.map((p) => p.key), 'results']) expect(doc).toContain(`| \`${key}\` |`);
  });

  it.each([
    ['1', 1],
    ['65536', 65536],
    ['007', 7],
  ])('reads whole number %j', (raw, value) => {
    expect(read('tokens', raw)).toEqual({ given: { tokens: value }, messages: [] });
  });

  it.each(['0', '-1', '1.0', '1.5', '1e3', '1e999', ' 1', '1 ', '0x10', '12abc', '', 'NaN', 'Infinity', '65537', '16777216', '99999999999'])(
    'refuses %j as a size',
    (raw) => {
      const spaced = raw !== raw.trim() ? " (without spaces; a '+' in a link reads as a space)" : '';
      expect(read('tokens', raw)).toEqual({ given: {}, messages: [`expected a whole number from 1 to 65536${spaced}`] });
    },
  );

  it('reads seed 0 and the largest uint32', () => {
    expect(read('seed', '0').given).toEqual({ seed: 0 });
    expect(read('seed', '4294967295').given).toEqual({ seed: 4294967295 });
  });

  it('reads preset=custom as a custom shape and checks id form', () => {
    expect(read('preset', 'custom').given).toEqual({ preset: null });
    expect(read('layer', 'mlp.up').given).toEqual({ layer: 'mlp.up' });
    expect(read('layer', 'custom').given).toEqual({ layer: 'custom' });
    expect(read('layer', '../x').messages).toHaveLength(1);
    expect(read('layer', 'x'.repeat(65)).messages).toHaveLength(1);
  });

  it('reads lists in order and refuses empty items and repeats', () => {
    expect(read('sweep', '4096,1,16').given).toEqual({ sweep: [4096, 1, 16] });
    expect(read('sweep', '').messages).toEqual(['expected 1 to 32 token counts, got 0']);
    expect(read('sweep', Array.from({ length: 33 }, (_, i) => i + 1).join(',')).messages).toEqual(['expected 1 to 32 token counts, got 33']);
    expect(read('views', '').given).toEqual({ views: [] });
    expect(read('views', 'timing,structure').given).toEqual({ views: ['timing', 'structure'] });
    expect(read('views', 'timing,timing').messages).toEqual(['views must not repeat']);
  });

  it('keeps the good feeds of several and drops the bad', () => {
    const { given, messages } = read('feed', 'https://a.example/f.json', 'ftp://a.example/f.json', 'http://localhost/f.json');
    expect(given).toEqual({ feeds: ['https://a.example/f.json', 'http://localhost/f.json'] });
    expect(messages).toHaveLength(1);
  });

  it('reads the feed groups to draw: each one, none, or the page default', () => {
    expect(read('draw', 'nvidia-a40|cost-model|bf16', 'board, rev 2|cublas|f16').given).toEqual({ drawn: ['nvidia-a40|cost-model|bf16', 'board, rev 2|cublas|f16'] });
    expect(read('draw', '').given).toEqual({ drawn: [] });
    const { given, messages } = read('draw', 'a40|cost-model', 'a|b|<c>', 'x|y|z', 'x|y|z');
    expect(given).toEqual({ drawn: ['x|y|z'] });
    expect(messages).toEqual([
      expect.stringMatching(/expected device\|implementation\|dtype/),
      expect.stringMatching(/without < or >/),
      expect.stringMatching(/given twice; not drawn/),
    ]);
  });

  it.each([
    ['https://example.org/feed.json', null],
    ['http://localhost:8080/f.json', null],
    ['http://127.0.0.1/f.json', null],
    ['http://[::1]:3000/f.json', /use http:\/\/localhost or http:\/\/127\.0\.0\.1/],
    ['http://example.org/f.json', /https/],
    ['http://localhost.evil.example/f.json', /https/],
    ['javascript:alert(1)', /https/],
    ['data:application/json,{}', /https/],
    ['file:///etc/passwd', /https/],
    ['//example.org/f.json', /not a URL/],
    ['https://user@example.org/f.json', /user name or password/],
    [`https://example.org/${'a'.repeat(2048)}`, /at most 2048/],
  ])('feed URL %j', (url, problem) => {
    const result = checkFeedUrl(url);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toMatch(problem);
  });
});
