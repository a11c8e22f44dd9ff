/** One colour per strategy, the same in every chart; dense is the grey baseline. */
import type { Strategy } from '../../lib/structures/types';

export const DENSE_COLOR = '#6b6f78';

const STRATEGY_COLORS: Record<Strategy, string> = {
  tiled: '#8c6bb1',
  unfused: '#d1495b',
  partial: '#2f6fb0',
  fused: '#2e9e5b',
};

export function seriesColor(strategy: Strategy, dense: boolean): string {
  return dense ? DENSE_COLOR : STRATEGY_COLORS[strategy];
}
