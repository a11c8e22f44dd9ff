import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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

/**
 * Writes `<file>.gz` and `<file>.br` beside every text file of the built site, for hosts that
 * serve precompressed files (the default feed is 1.3 MB of JSON and about 70 KB gzipped).
 */
function precompress(): Plugin {
  const TEXT = /\.(html|js|css|json|svg|txt|map)$/;
  let outDir = 'dist';
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      for (const file of walk(outDir).filter((f) => TEXT.test(f))) {
        const data = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [wgslText(), svelte(), devWithoutCsp(), precompress()],
  worker: { format: 'es', plugins: () => [wgslText()] },
  build: { target: 'es2022', outDir: 'dist' },
});
