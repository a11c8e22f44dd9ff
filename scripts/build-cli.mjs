// Bundles the `blr` CLI into dist-cli/blr.mjs: plain JavaScript that `node` runs with only the
// `webgpu` package beside it (WGSL inlined as text).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  loader: { '.wgsl': 'text' },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist-cli/blr.mjs' });
// A measuring tool for the GPU machine, on the same engine (bench/matrix-units/tiles.ts).
await build({ ...common, entryPoints: ['bench/matrix-units/tiles.ts'], outfile: 'dist-cli/matrix-tiles.mjs' });
