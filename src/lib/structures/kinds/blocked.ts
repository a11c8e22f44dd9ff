/** What Monarch and BLAST share: b blocks that divide m and n, and the drawing's scaling with b kept. */
import type { ValidationIssue } from '../checks';
import { scaledBlockShape } from '../drawing';
import type { LayerShape } from '../types';
import type { CheckedFields } from './kind';

type Blocked = { blocks: number; rank: number };

/** b must divide n and m. */
export function blocksDivide({ m, n }: LayerShape, s: Blocked, ok: CheckedFields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (ok.blocks && ok.n && n % s.blocks !== 0) issues.push({ field: 'blocks', message: `blocks b=${s.blocks} must divide n=${n}` });
  if (ok.blocks && ok.m && m % s.blocks !== 0) issues.push({ field: 'blocks', message: `blocks b=${s.blocks} must divide m=${m}` });
  return issues;
}

/** The rank never exceeds min(m, n), the matrix's own rank bound. */
export function rankWithinShape(name: string, symbol: string, { m, n }: LayerShape, s: Blocked, ok: CheckedFields): ValidationIssue[] {
  if (!(ok.rank && ok.m && ok.n && s.rank > Math.min(m, n))) return [];
  return [{ field: 'rank', message: `${name} rank ${symbol}=${s.rank} exceeds min(m, n)=${Math.min(m, n)}` }];
}

/** m and n scaled to at most `maxDim` with b kept (never below one entry per block), and the scale used. */
export function blockedSmallShape(m: number, n: number, b: number, maxDim: number): { m: number; n: number; scale: number } {
  const scale = Math.min(1, maxDim / Math.max(m, n));
  return { ...scaledBlockShape(m, n, b, scale), scale };
}
