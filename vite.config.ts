import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { contentSecurityPolicy } from './src/site/csp';

/** Loads `*.wgsl` files as a default-exported string, the same way the CLI bundle does. */
function wgslText(): Plugin {
  return {
    name: 'wgsl-text',
    load(id) {
      if (!id.endsWith('.wgsl')) return null;
      return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [wgslText(), svelte(), contentSecurityPolicy()],
  worker: { format: 'es', plugins: () => [wgslText()] },
  build: { target: 'es2022', outDir: 'dist' },
});
