import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

describe('content security policy', () => {
  it('allows scripts, workers and styles from the site only, and feeds over https or from this machine', () => {
    expect(directive(CONTENT_SECURITY_POLICY, 'script-src')).toBe("script-src 'self'");
    expect(directive(CONTENT_SECURITY_POLICY, 'worker-src')).toBe("worker-src 'self'");
    expect(directive(CONTENT_SECURITY_POLICY, 'style-src')).toBe("style-src 'self'");
    expect(directive(CONTENT_SECURITY_POLICY, 'connect-src')).toBe("connect-src 'self' https: http://localhost:* http://127.0.0.1:*");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-/);
  });

  it("404.html allows exactly its own inline script, by hash", () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../public/404.html'), 'utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]).digest('base64');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(directive(policy, 'script-src')).toBe(`script-src 'sha256-${hash}'`);
    expect(directive(policy, 'default-src')).toBe("default-src 'none'");
  });
});
