/** One colour per strategy, the same in every chart; dense is the grey baseline. */
import type { Strategy } from '../../lib/structures/types';

export const DENSE_COLOR = '#6b6f78';

const STRATEGY_COLORS: Record<Strategy | 'native', string> = {
  tiled: '#8c6bb1',
  unfused: '#d1495b',
  partial: '#2f6fb0',
  fused: '#2e9e5b',
  'perm-fused': '#0f8b8d',
  native: '#b7791f',
};

/** `native` is a feed's kernel with no WGSL counterpart (cuBLAS, torch.compile). */
export function seriesColor(strategy: Strategy | 'native', dense: boolean): string {
  return dense ? DENSE_COLOR : STRATEGY_COLORS[strategy];
}
