import { describe, expect, it } from 'vitest';
import { formatByteRate, formatBytes, formatCount, formatFlopRate, formatFlops, formatIntensity, formatMs, formatPercent, formatRatio, formatGenerated } from './format';

describe('formats', () => {
  it('puts a space before SI units', () => {
    expect(formatBytes(101_000_000)).toBe('101 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatFlops(8.59e9)).toBe('8.59 GFLOP');
    expect(formatFlopRate(3.42e6)).toBe('3.42 MFLOP/s');
    expect(formatByteRate(1.42e12)).toBe('1.42 TB/s');
  });

  it('counts parameters with B for billions', () => {
    expect(formatCount(8_388_608)).toBe('8.39M');
    expect(formatCount(1.5e9)).toBe('1.5B');
  });

  it('writes times in ms or µs with three significant digits', () => {
    expect(formatMs(33.6)).toBe('33.6 ms');
    expect(formatMs(20)).toBe('20 ms');
    expect(formatMs(0.456)).toBe('456 µs');
    expect(formatMs(12_600)).toBe('12.6 s');
  });

  it('writes ratios, intensities and percentages', () => {
    expect(formatRatio(1.88)).toBe('1.88×');
    expect(formatRatio(3)).toBe('3×');
    expect(formatIntensity(341.3)).toBe('341 FLOP/B');
    expect(formatIntensity(2.43)).toBe('2.4 FLOP/B');
    expect(formatIntensity(0)).toBe('0 FLOP/B');
    expect(formatPercent(0.42)).toBe('42%');
    expect(formatPercent(0.0031)).toBe('0.31%');
  });

  it('never writes a 300-digit figure, and reads — for what is not a number', () => {
    expect(formatMs(1e308)).toBe('1e+308 ms');
    expect(formatMs(5e-324)).toMatch(/^4\.9\d*e-324 ms$/);
    expect(formatMs(0.0005)).toBe('500 ns');
    expect(formatMs(Number.NaN)).toBe('—');
    expect(formatFlopRate(Infinity)).toBe('—');
    expect(formatFlopRate(1e300)).toBe('1e+300 FLOP/s');
    expect(formatRatio(1e300)).toBe('1e+300×');
    expect(formatPercent(1e300)).toBe('1e+302%');
    expect(formatCount(1e300)).toBe('1e+300');
    for (const f of [formatBytes, formatFlops, formatIntensity, formatCount]) expect(f(1e308).length).toBeLessThan(20);
  });

  it('formats a feed\'s generation time, or shows the text it could not read', () => {
    expect(formatGenerated('2026-01-17T10:00:00Z')).toBe('2026-01-17 10:00 UTC');
    expect(formatGenerated('2026-01-17T10:00:00+05:00')).toBe('2026-01-17 05:00 UTC');
    expect(formatGenerated('2026-01-17T10:00:00+05')).toBe('2026-01-17T10:00:00+05');
  });
});
