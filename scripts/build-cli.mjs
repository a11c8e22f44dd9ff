// Bundles the `blr` CLI into dist-cli/blr.mjs: plain JavaScript that `node` runs with only the
// `webgpu` package beside it (WGSL inlined as text).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist-cli/blr.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  loader: { '.wgsl': 'text' },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
