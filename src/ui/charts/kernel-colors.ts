/**
 * One colour per kernel (structure × strategy) for charts that show several structures at once:
 * a hue per structure, light for its baseline and darker as the kernel fuses more.
 */
import type { StructureKind } from '../../lib/structures/types';
import { DENSE_COLOR } from './colors';

const SHADES: Record<Exclude<StructureKind, 'dense'>, Record<string, string>> = {
  lowrank: { tiled: '#b39ddb', fused: '#5e35b1' },
  monarch: { unfused: '#f4a582', partial: '#d6604d', fused: '#8c1d18' },
  blast: { unfused: '#92c5de', partial: '#4393c3', 'perm-fused': '#1b5e9e', fused: '#0b2f5a' },
};

const FALLBACK: Record<Exclude<StructureKind, 'dense'>, string> = { lowrank: '#7e57c2', monarch: '#c0504d', blast: '#2f6fb0' };

export function kernelColor(kind: StructureKind, strategy: string): string {
  if (kind === 'dense') return DENSE_COLOR;
  return SHADES[kind][strategy] ?? FALLBACK[kind];
}
