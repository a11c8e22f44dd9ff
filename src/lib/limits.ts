/**
 * The one table of limits. The controls offer nothing past them, the link codec and the snapshot
 * decoder refuse what exceeds them, the feed schema and the CLI check them, and the views are
 * sized for them: whatever a link or a feed holds, the page draws at most this much.
 */
export const LIMITS = {
  /** m and n, a layer's output and input features (the paper's largest is 11008) */
  size: 65_536,
  /** tokens T of one run or one sweep point (the paper's largest is DiT-XL/2's 16384) */
  tokens: 65_536,
  /**
   * b, the block count of Monarch and BLAST (the paper uses at most 16). The structure view
   * draws b² coupling blocks; this keeps them a few pixels each.
   */
  blocks: 64,
  /** r or R, also at most min(m, n) */
  rank: 65_536,
  /** the seed of the random inputs and weights: a uint32 */
  seed: 2 ** 32 - 1,
  /** token counts of one sweep */
  sweepPoints: 32,

  /** feeds one link loads */
  linkFeeds: 8,
  feedUrlChars: 2048,
  /** feed groups a link names (`draw=`) and the page draws by default */
  drawnGroups: 32,
  drawnGroupChars: 256,
  /** problems a link's notice lists one by one; the rest are counted */
  noticesListed: 20,
  /** unknown parameters a notice names before it counts the rest */
  unknownNamed: 5,

  /** characters of a `results=` value */
  snapshotChars: 6000,
  /** points a shared snapshot holds (a sweep of 32 token counts × 4 kernels is 128) */
  snapshotPoints: 512,
  snapshotDeviceChars: 120,

  /** bytes of one feed document */
  feedBytes: 5_000_000,
  feedDevices: 64,
  feedResults: 20_000,
  /** characters of any feed string */
  feedText: 2000,
  /** `notes` of a feed, and `steps` of a result */
  feedListItems: 256,

  /** What a view draws at most, whatever the feeds hold: its cost follows its pixels. */
  /** rows of a table (Compare devices) */
  tableRows: 200,
  /** lines of one chart */
  chartSeries: 64,
  /** point marks of one chart; past them the lines are drawn without marks */
  chartMarks: 1000,
  /** feed groups the picker lists */
  pickerGroups: 64,
  /** characters of a device name shown before it is cut (the whole name on hover) */
  nameChars: 60,

  /**
   * Physical bounds of a figure in a feed or snapshot. Each bounds a quotient the views draw
   * (FLOP/s = FLOPs / latency), so what the page computes from them stays finite.
   */
  /** milliseconds of one forward pass: 1 ns to about 3 hours */
  latencyMs: { min: 1e-6, max: 1e7 },
  /** GB/s or GiB/s of a device or a result (1 PB/s) */
  bandwidthGBs: 1e6,
  /** FLOP/s of a device (10 EFLOP/s); GFLOP/s figures are this over 1e9 */
  flopsPerS: 1e19,
  /** bytes moved or FLOPs of one pass */
  work: 1e18,
  /** a device's memory, GiB */
  memoryGiB: 1e6,
  /** timed runs behind a median */
  samples: 1e9,
} as const;

/** Whether `v` is a whole number from `min` to `max`. */
export function isWhole(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** A device name cut to LIMITS.nameChars characters (… marks the cut), so no name widens a view; show the whole one on hover. */
export function shortName(name: string): string {
  const chars = Array.from(name.slice(0, 4 * LIMITS.nameChars));
  return chars.length > LIMITS.nameChars || name.length > 4 * LIMITS.nameChars ? `${chars.slice(0, LIMITS.nameChars - 1).join('')}…` : name;
}
