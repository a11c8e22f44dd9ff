import { describe, expect, it } from 'vitest';
import { placeLabels } from './label-layout';

describe('placeLabels', () => {
  it('moves a label down past one it would cover, and leaves apart ones where they are', () => {
    const at = placeLabels([
      { id: 'a', x: 100, left: 0, right: 80, y: 50 },
      { id: 'b', x: 120, left: 0, right: 80, y: 54 },
      { id: 'c', x: 400, left: 0, right: 80, y: 52 },
    ]);
    expect(at.get('a')).toBe(50);
    expect(at.get('b')).toBe(62);
    expect(at.get('c')).toBe(52);
  });

  it('stacks a run of colliding labels a line apart, never two within a line', () => {
    const labels = Array.from({ length: 6 }, (_, i) => ({ id: `${i}`, x: 10 + i, left: 0, right: 60, y: 30 + i }));
    const ys = [...placeLabels(labels, 12).values()].sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(12);
  });

  it('handles text anchored at its end (extent to the left)', () => {
    const at = placeLabels([
      { id: 'a', x: 200, left: 90, right: 0, y: 20 },
      { id: 'b', x: 150, left: 90, right: 0, y: 25 },
    ]);
    expect(at.get('b')).toBe(32);
  });
});
