import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';

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

/** The dev server injects styles inline for hot reload, so it serves index.html without the built site's CSP. */
function devWithoutCsp(): Plugin {
  return {
    name: 'dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export default defineConfig({
  base: './',
  plugins: [wgslText(), svelte(), devWithoutCsp()],
  worker: { format: 'es', plugins: () => [wgslText()] },
  build: { target: 'es2022', outDir: 'dist' },
});
