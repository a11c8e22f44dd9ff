import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';

export default defineConfig({
  plugins: [
    {
      name: 'wgsl-text',
      load(id) {
        if (!id.endsWith('.wgsl')) return null;
        return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
      },
    },
  ],
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.mjs', 'e2e/**/*.e2e.ts'],
    // Dawn is a native addon: separate processes keep one device per test file.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
