/** Exact non-negative fractions (BigInt), so that scores and grade boundaries carry no rounding error. */

/** A fraction n/d with d > 0, in lowest terms. */
export interface Fraction {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/** The fraction n/d in lowest terms (d must not be 0). */
export function fraction(n: bigint, d: bigint): Fraction {
  if (d === 0n) throw new RangeError('a fraction needs a non-zero denominator');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d < 0n ? -d : d) || 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

/** a + b. */
export const plus = (a: Fraction, b: Fraction): Fraction => fraction(a.n * b.d + b.n * a.d, a.d * b.d);
/** a − b. */
export const minus = (a: Fraction, b: Fraction): Fraction => fraction(a.n * b.d - b.n * a.d, a.d * b.d);
/** a × b. */
export const times = (a: Fraction, b: Fraction): Fraction => fraction(a.n * b.n, a.d * b.d);
/** a ÷ b (b must not be 0). */
export const over = (a: Fraction, b: Fraction): Fraction => fraction(a.n * b.d, a.d * b.n);
/** Negative, zero or positive as a is less than, equal to or greater than b. */
export const compare = (a: Fraction, b: Fraction): number => Number(a.n * b.d - b.n * a.d);
/** The integer k as a fraction. */
export const whole = (k: number | bigint): Fraction => fraction(BigInt(k), 1n);

/** The exact value of a finite number as written in decimal (2.5 → 5/2, 89.99 → 8999/100). */
export function fromDecimal(value: number): Fraction {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const [mantissa, exponent = '0'] = String(value).toLowerCase().split('e') as [string, string?];
  const [int, frac = ''] = mantissa.split('.') as [string, string?];
  const scale = Number(exponent) - frac.length;
  const digits = BigInt(int + frac);
  return scale >= 0 ? fraction(digits * 10n ** BigInt(scale), 1n) : fraction(digits, 10n ** BigInt(-scale));
}

/** A non-negative fraction cut (not rounded) to `digits` decimals, as a number: 89.999 → 89.99. */
export function truncated(value: Fraction, digits: number): number {
  const scale = 10n ** BigInt(digits);
  const cut = (value.n * scale) / value.d;
  return Number(cut) / Number(scale);
}

/** A non-negative fraction rounded half up to `digits` decimals, as a decimal string: 5/6 → "0.8333". */
export function rounded(value: Fraction, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const scaled = (value.n * scale * 2n + value.d) / (2n * value.d);
  const text = scaled.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
