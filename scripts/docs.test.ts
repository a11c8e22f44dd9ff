/**
 * The documentation holds together: the README stays an entry point, every link and every path
 * that docs or code comments name exists (headings included, for links with #anchors), nothing
 * names tools or history that exist only where the project is developed, and the Pages workflow
 * deploys only after the tests pass.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url));

/** Build outputs, dependencies and the ignored dot-folders; .github and .ci are the project's own. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-cli', 'test-results']);
const TEXT = /\.(md|ts|svelte|wgsl|mjs|js|sh|py|c|ya?ml|html|json)$|^\.ci\/run$/;

function projectFiles(dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || (entry.name.startsWith('.') && entry.name !== '.github' && entry.name !== '.ci')) continue;
      out.push(...projectFiles(path));
    } else if (TEXT.test(path) && !path.startsWith('public/feeds/') && path !== 'package-lock.json') {
      out.push(path);
    }
  }
  return out;
}

const FILES = projectFiles();
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const MARKDOWN = FILES.filter((f) => f.endsWith('.md'));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Why `target` (a path from the root, with an optional #anchor) does not resolve, or undefined. */
function broken(target: string): string | undefined {
  const [path, anchor] = target.split('#');
  if (path && !existsSync(join(ROOT, path))) return 'no such file';
  if (anchor && path.endsWith('.md') && !anchorsOf(read(path)).has(anchor)) return `no heading #${anchor}`;
  return undefined;
}

describe('README.md', () => {
  it('is an entry point of at most 300 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(300);
  });
});

describe('links and paths', () => {
  it('every relative link in the Markdown files resolves, #anchors included', () => {
    const bad: string[] = [];
    for (const file of MARKDOWN) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const resolved = target.startsWith('#') ? `${file}${target}` : relative(ROOT, resolve(ROOT, dirname(file), target));
        const why = broken(resolved.replace(/\\/g, '/'));
        if (why) bad.push(`${file}: ${target} (${why})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every project path that the docs and code name exists, #anchors included', () => {
    const path = /(?<![\w./-])((?:docs|src|shaders|bench|scripts|e2e|\.github|\.ci)\/[\w./-]*\w\.(?:md|ts|svelte|wgsl|mjs|sh|py|c|json|jsonl|csv|txt|yml|png)(?!\w)(?:#[\w-]+)?)/g;
    const bad: string[] = [];
    for (const file of FILES) {
      if (file === THIS_FILE) continue;
      for (const [, target] of read(file).matchAll(path)) {
        const why = broken(target);
        if (why) bad.push(`${file}: ${target} (${why})`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('the project speaks of itself only', () => {
  // Tools and notes that exist only where the project is developed, and a diary's vocabulary.
  // (Written with escapes so that this file does not match them itself.)
  const FORBIDDEN = [
    /devic\x65 tool/i,
    /this workplac\x65/i,
    /tuning s\x65ssion/i,
    /\.gpu\/r\x65mote/,
    /h200-tunin\x67/,
    /h100-ru\x6e\.sh/,
    /DESIGN \u00a7/,
    /DEVELOPERS standard\x73/,
    /research note\x73/i,
    /shared\/researc\x68/,
    /\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth) (?:s\x65ssion|c\x61ll|round)\b/i,
    /\bs\x65ssions?\b.*\bc\x61lls?\b/i,
  ];

  it.each(FORBIDDEN.map((re) => [String(re), re] as const))('no file matches %s', (_name, re) => {
    const hits = FILES.flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (re.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});

describe('.github/workflows/pages.yml', () => {
  const workflow = read('.github/workflows/pages.yml');
  const job = (name: string) => {
    const start = workflow.indexOf(`\n  ${name}:\n`);
    expect(start, `job ${name}`).toBeGreaterThan(0);
    const rest = workflow.slice(start + 1);
    const next = rest.slice(1).search(/\n {2}[\w-]+:\n/);
    return next < 0 ? rest : rest.slice(0, next + 1);
  };

  it('runs every test (.ci/run) before it builds, and deploys only what it built', () => {
    expect(job('test')).toMatch(/run: bash \.ci\/run/);
    expect(job('build')).toMatch(/needs: test/);
    expect(job('deploy')).toMatch(/needs: build/);
  });
});
