/**
 * `blr`: the kernel engine from the command line, through Dawn.
 *   blr info | verify … | roofline … | bench …     (blr help for the flags)
 * Exit codes: 0 success (verify: within tolerance), 1 verify out of tolerance,
 * 2 bad input (one-line reason), 3 no usable GPU or a GPU failure.
 */
import { feedMeasured } from '../lib/feed/ceilings';
import { LIMITS } from '../lib/limits';
import { DEFAULT_STRATEGY, STRATEGIES, STRUCTURE_KINDS } from '../lib/structures/kinds';
import { createEngine, type Engine } from '../lib/gpu/engine';
import { parseFlags, parseVerify, UsageError } from './args';
import { runBench } from './bench';
import { dawnToggles, openDawn } from './dawn';

const HELP = `blr: BLR Playground kernels through Dawn (WebGPU for Node)

  blr info [--dawn "<toggles>"]
      the adapter (vendor, architecture, features, limits) as JSON
  blr verify --kernel dense|lowrank|monarch|blast [--strategy S] --m M --n N --tokens T
             [--blocks K] [--rank R] [--dtype f32|f16] [--path fma|matrix|emulated] [--fragment MxNxK]
             [--seed N] [--json] [--dawn "<toggles>"]
      random inputs, the GPU result against the f64 reference; exit 0 within tolerance, 1 not, 2 bad input
  blr roofline [--quick] [--dawn "<toggles>"]
      measured memory bandwidth and FLOP/s ceilings of the adapter, as JSON
  blr bench [--preset NAME[,NAME…] | --m M --n N --kernel K --blocks B --rank R] [--layer L]
            [--tokens 1,16,128,1024,4096] [--dtype f32,f16] [--structures K,…] [--strategies S,…] [--reps 30]
            [--out FILE] [--quick] [--steps] [--device-name NAME] [--path P] [--fragment MxNxK] [--dawn "<toggles>"]
      a sweep, progress on stderr, results in the blr-feed/1 format; --steps also times each
      dispatch of a plan alone. Each sample times a batch of runs long enough for the timer
      (≥ 50 of its steps), its time divided by the runs; progress lines name the step and runs

Shapes: y = x·Wᵀ with W of m × n: --m output features, --n input features, --tokens rows of x.
Structures (--kernel, --structures): dense, lowrank, monarch, blast.
Strategies: ${STRUCTURE_KINDS.map((k) => `${k} ${STRATEGIES[k].join('|')}`).join('; ')}.
Without --strategy: ${STRUCTURE_KINDS.map((k) => `${k} ${DEFAULT_STRATEGY[k]}`).join(', ')} (the page's defaults).
Limits, the page's own: m and n at most ${LIMITS.size}, tokens ${LIMITS.tokens}, rank ${LIMITS.rank}, blocks ${LIMITS.blocks}.
Paths (--path): fma (plain arithmetic), matrix (the adapter's matrix units: subgroup matrices,
  the default where the adapter has them for the dtype), emulated (the matrix-unit kernels with
  their builtins emulated in WGSL: for checking, not for speed); --fragment picks a fragment shape.
  Products of at most 16 tokens stay on gemv (FMA) on every path.
--dawn passes Dawn toggles, e.g. on NVIDIA:
  "enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia"
Timestamps are not quantised (disable-dawn-features=timestamp_quantization is added) unless
--dawn names timestamp_quantization, e.g. --dawn "enable-dawn-features=timestamp_quantization"
times as a stock browser must, in 65.5 µs steps.`;

async function withEngine<T>(dawn: string | undefined, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { adapter, device } = await openDawn(dawnToggles(dawn));
  const engine = await createEngine(device, adapter);
  try {
    return await work(engine);
  } finally {
    engine.destroy();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function verify(argv: string[]): Promise<number> {
  const args = parseVerify(argv);
  return withEngine(args.dawn, async (engine) => {
    try {
      engine.plan(args.problem, args.strategy, args.path);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const r = await engine.verify(args.problem, args.strategy, { seed: args.seed, ...args.path });
    if (args.json) print(r);
    else {
      const p = r.plan;
      const ran = p.fallbackReason ? `${p.strategy} (fell back: ${p.fallbackReason})` : p.strategy;
      process.stdout.write(
        `${args.problem.structure.kind} ${ran} ${args.problem.dtype} m=${args.problem.shape.m} n=${args.problem.shape.n} T=${args.problem.shape.tokens} seed=${r.seed}\n` +
          `path: ${p.path ?? 'fma'}; dispatches: ${p.dispatches.map((d) => `${d.name} (${d.kernel})`).join(', ')}\n` +
          `relErr=${r.relErr.toExponential(3)} maxAbsErr=${r.maxAbsErr.toExponential(3)} rows=${r.rowsChecked} tolerance=${r.tolerance} ok=${r.ok}\n`,
      );
    }
    return r.ok ? 0 : 1;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'info': {
      const v = parseFlags(rest, { dawn: { type: 'string' } });
      return withEngine(v.dawn as string | undefined, async (engine) => {
        print(engine.summary());
        return 0;
      });
    }
    case 'verify':
      return verify(rest);
    case 'roofline': {
      const v = parseFlags(rest, { dawn: { type: 'string' }, quick: { type: 'boolean', default: false } });
      return withEngine(v.dawn as string | undefined, async (engine) => {
        const { timer, copyBytes, ...ceilings } = await engine.roofline({ quick: Boolean(v.quick) });
        // As a feed's device records them: GB/s and GFLOP/s.
        print({ adapter: engine.summary().description || engine.summary().device, ...feedMeasured(ceilings), timer, copyBytes });
        return 0;
      });
    }
    case 'bench':
      return runBench(rest, withEngine);
    case undefined:
      throw new UsageError('no command given; try: blr help');
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command '${command}'; try: blr help`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`blr: ${message.split('\n')[0]}\n`);
    process.exit(e instanceof UsageError ? 2 : 3);
  },
);
