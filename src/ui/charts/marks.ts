/**
 * How a device's series look, so its lines, points and roof read as one device: a symbol
 * and a dash pattern per device (colour stays the strategy's). This page's GPU draws circles
 * and solid lines; the feeds' devices take the others in feed order.
 */
import { symbol as d3symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type SymbolType } from 'd3';

export const MARK_SYMBOLS = { circle: symbolCircle, square: symbolSquare, triangle: symbolTriangle, diamond: symbolDiamond, star: symbolStar, wye: symbolWye, cross: symbolCross } satisfies Record<string, SymbolType>;
export type MarkSymbol = keyof typeof MARK_SYMBOLS;

export interface DeviceMark {
  symbol: MarkSymbol;
  /** SVG stroke-dasharray of the device's lines and roof; '' for solid */
  dash: string;
}

export const OWN_MARK: DeviceMark = { symbol: 'circle', dash: '' };

const FEED_SYMBOLS: MarkSymbol[] = ['square', 'triangle', 'diamond', 'star', 'wye', 'cross'];
// 6 symbols and 7 dash patterns: the pair repeats only after 42 devices.
const FEED_DASHES = ['7 3', '2 3', '9 3 2 3', '4 4', '1 2', '12 4', '6 2 1 2'];

/** One mark per feed device, by its place in the feeds (stable while feeds are only added). */
export function deviceMarks(deviceIds: string[]): Map<string, DeviceMark> {
  return new Map(deviceIds.map((id, i) => [id, { symbol: FEED_SYMBOLS[i % FEED_SYMBOLS.length], dash: FEED_DASHES[i % FEED_DASHES.length] }]));
}

/** SVG path data of a mark's symbol, centred on 0,0, `area` in square pixels. */
export function markPath(symbol: MarkSymbol, area = 48): string {
  return d3symbol(MARK_SYMBOLS[symbol], area)() ?? '';
}
