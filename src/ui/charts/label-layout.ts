/**
 * Places text labels so none covers another: each label keeps its x and moves down (in steps of
 * a line) past the labels already placed whose boxes it would overlap.
 */
export interface LabelBox {
  id: string;
  /** anchor x and the text's extent either side of it (for text-anchor start: 0 left, width right) */
  x: number;
  left: number;
  right: number;
  /** wanted baseline y */
  y: number;
}

/** Approximate width of a label in pixels at `fontSize` (proportional fonts average about 0.58 em). */
export const textWidth = (text: string, fontSize = 11) => text.length * fontSize * 0.58;

export function placeLabels(labels: LabelBox[], lineHeight = 12): Map<string, number> {
  const placed: { x0: number; x1: number; y: number }[] = [];
  const out = new Map<string, number>();
  for (const l of [...labels].sort((a, b) => a.y - b.y)) {
    const x0 = l.x - l.left;
    const x1 = l.x + l.right;
    let y = l.y;
    for (let moved = true; moved; ) {
      moved = false;
      for (const p of placed) {
        if (x0 < p.x1 && p.x0 < x1 && Math.abs(y - p.y) < lineHeight) {
          y = p.y + lineHeight;
          moved = true;
        }
      }
    }
    placed.push({ x0, x1, y });
    out.set(l.id, y);
  }
  return out;
}
