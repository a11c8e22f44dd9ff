/** Greatest common divisor of two whole numbers (each rounded and taken positive first); gcd(a, 0) = a. */
export function gcd(a: number, b: number): number {
  a = Math.abs(Math.round(a));
  b = Math.abs(Math.round(b));
  while (b) [a, b] = [b, a % b];
  return a;
}
