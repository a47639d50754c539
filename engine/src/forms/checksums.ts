/**
 * Check characters and code tables behind the string formats of forms (formats.ts): the ISO 7064
 * MOD 11-2 check of the resident identity card number (GB 11643-1999), the MOD 31 check of the
 * unified social credit code (GB 32100-2015), GB/T 2260 province codes and calendar dates.
 */

/** ISO 7064 MOD 11-2 weights of the first 17 digits of an ID card number: 2^(17−i) mod 11. */
const idCardWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** The check character (0–9 or X) of the first 17 digits of an ID card number. */
export function computeIdCardCheck(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`computeIdCardCheck needs 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (idCardWeights[i] as number);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** The 31 characters of a unified social credit code: digits and capitals without I, O, Z, S, V. */
export const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015 weights of the first 17 characters: 3^i mod 31. */
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character of the first 17 characters of a unified social credit code. */
export function computeUsccCheck(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUW-Y]{17}$/.test(first17)) {
    throw new RangeError(`computeUsccCheck needs 17 characters of ${usccAlphabet}, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += usccAlphabet.indexOf(first17[i] as string) * (usccWeights[i] as number);
  return usccAlphabet[(31 - (sum % 31)) % 31] as string;
}

/** Registration authority codes (first character) of GB 32100-2015 and its amendments. */
export const usccAuthorities = '123456789ANY';

/** GB/T 2260 province-level codes (first two digits of a region code), 83 being 台湾居民居住证. */
export const provinceCodes: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

/** True for a real Gregorian date (leap years included); month 1–12. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}

/** Today's date in China (UTC+8, no daylight saving) as YYYYMMDD, at the instant `now`. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}
