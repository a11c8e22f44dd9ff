/**
 * gemm-mma.wgsl's tiles and fragment shapes measured against each other and against the FMA
 * path, on the Llama-7B layers at 1024 tokens (dense, f16 unless --dtype): each variant checked
 * against the f64 reference, then timed. Bundled by `node scripts/build-cli.mjs` into
 * dist-cli/matrix-tiles.mjs:
 *   node dist-cli/matrix-tiles.mjs "dawn toggles" [variants] [structure:strategy,…]
 * A variant is fma, or SGMxSGN/TMxTN/BK[/MxNxK][/s2] (subgroups, fragments a subgroup, K tile,
 * fragment shape, two K tiles staged at once), e.g. 2x2/4x4/32/16x16x16 or 2x2/4x4/32/s2; one
 * JSON line a (layer, variant).
 */
import { dawnToggles, openDawn } from '../../src/cli/dawn';
import { createEngine, type PathOptions } from '../../src/lib/gpu/engine';
import type { Problem, Strategy, StructureSpec } from '../../src/lib/structures/types';

const [toggleArg, variantArg, structureArg] = process.argv.slice(2);
const variants = (variantArg || 'fma,2x2/4x4/32,2x2/4x4/32/s2,2x2/2x2/32,2x2/2x2/32/s2,2x4/4x2/32,4x2/2x4/32,2x2/4x4/64').split(',');
const LAYERS = [
  { id: 'qkvo_proj', n: 4096, m: 4096, monarch: { blocks: 16, rank: 1024 }, blast: { blocks: 16, rank: 1024 } },
  { id: 'gate_up_proj', n: 4096, m: 11008, monarch: { blocks: 16, rank: 1536 }, blast: { blocks: 16, rank: 1488 } },
  { id: 'down_proj', n: 11008, m: 4096, monarch: { blocks: 16, rank: 1536 }, blast: { blocks: 16, rank: 1488 } },
];
const runs = (structureArg || 'dense:tiled').split(',').map((s) => s.split(':') as [string, Strategy]);

function pathOf(v: string): PathOptions {
  if (v === 'fma') return { path: 'fma' };
  const [sg, frags, bk, ...rest] = v.split('/');
  const [sgM, sgN] = sg.split('x').map(Number);
  const [tm, tn] = frags.split('x').map(Number);
  const fragment = rest.find((p) => /^\d+x\d+x\d+$/.test(p));
  return {
    path: 'matrix',
    mmaTile: { sgM, sgN, tm, tn, bk: Number(bk), ...(rest.includes('s2') ? { stages: 2 as const } : {}) },
    ...(fragment ? { fragment: fragment.split('x').map(Number) as [number, number, number] } : {}),
  };
}

async function main(): Promise<void> {
const { adapter, device } = await openDawn(dawnToggles(toggleArg ?? 'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia'));
const engine = await createEngine(device, adapter);
console.log(JSON.stringify({ adapter: engine.summary().description, matrixConfigs: engine.summary().matrixConfigs }));
const dtype = (process.env.DTYPE ?? 'f16') as 'f16' | 'f32';
const tokens = Number(process.env.TOKENS ?? 1024);
for (const [kind, strategy] of runs) {
  for (const layer of LAYERS) {
    const structure = (kind === 'dense' ? { kind } : { kind, ...layer[kind as 'monarch' | 'blast'] }) as StructureSpec;
    const problem: Problem = { shape: { m: layer.m, n: layer.n, tokens }, structure, dtype };
    for (const v of variants) {
      try {
        const opts = pathOf(v);
        const check = await engine.verify(problem, strategy, opts);
        const t = await engine.time(problem, strategy, { ...opts, reps: 30 });
        const flops = 2 * tokens * layer.m * layer.n;
        console.log(JSON.stringify({ layer: layer.id, kind, strategy, variant: v, ms: +t.medianMs.toFixed(4), p10: +t.p10Ms.toFixed(4), p90: +t.p90Ms.toFixed(4),
          denseEquivTflops: +(flops / t.medianMs / 1e9).toFixed(1), relErr: +check.relErr.toExponential(2), ok: check.ok,
          dispatches: t.plan.dispatches.map((d) => `${d.name}:${d.kernel}[${d.workgroups}]`).join(' ') }));
      } catch (e) {
        console.log(JSON.stringify({ layer: layer.id, kind, strategy, variant: v, error: (e as Error).message.slice(0, 300) }));
      }
    }
  }
}
engine.destroy();
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(3);
});
