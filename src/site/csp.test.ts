/** The Content-Security-Policy metas of the site's pages (index.html and the 404 page). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const page = (path: string) => readFileSync(resolve(import.meta.dirname, '../..', path), 'utf8');
const policyOf = (html: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

describe('content security policy', () => {
  it('index.html allows scripts, workers and styles from the site only, and feeds over https or from this machine', () => {
    const html = page('index.html');
    const policy = policyOf(html);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(directive(policy, 'default-src')).toBe("default-src 'self'");
    expect(directive(policy, 'script-src')).toBe("script-src 'self'");
    expect(directive(policy, 'worker-src')).toBe("worker-src 'self'");
    expect(directive(policy, 'style-src')).toBe("style-src 'self'");
    expect(directive(policy, 'connect-src')).toBe("connect-src 'self' https: http://localhost:* http://127.0.0.1:*");
    expect(policy).not.toMatch(/unsafe-/);
  });

  it('404.html allows exactly its own inline script, by hash', () => {
    const html = page('public/404.html');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]).digest('base64');
    const policy = policyOf(html);
    expect(directive(policy, 'script-src')).toBe(`script-src 'sha256-${hash}'`);
    expect(directive(policy, 'default-src')).toBe("default-src 'none'");
  });
});
