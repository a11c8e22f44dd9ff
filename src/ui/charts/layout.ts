/** Sizes and scales shared by the charts. */
import { scaleLog, type ScaleLogarithmic } from 'd3';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const CHART_MARGIN: Margin = { top: 12, right: 16, bottom: 44, left: 66 };

/** Marks at the ends of a domain stay this far inside the frame. */
const INSET = 6;

/** Log x and log y scales mapping the domains onto the plot area inside `margin`. */
export function logScales(
  width: number,
  height: number,
  margin: Margin,
  xDomain: [number, number],
  yDomain: [number, number],
): { x: ScaleLogarithmic<number, number>; y: ScaleLogarithmic<number, number> } {
  return {
    x: scaleLog()
      .domain(xDomain)
      .range([INSET, Math.max(INSET + 1, width - margin.left - margin.right - INSET)]),
    y: scaleLog()
      .domain(yDomain)
      .range([Math.max(INSET + 1, height - margin.top - margin.bottom - INSET), INSET]),
  };
}
