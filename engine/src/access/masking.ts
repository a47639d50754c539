/** Masking of personal data for display: enough to recognise, not enough to use. */
import type { SensitiveKind } from '../definitions/model.ts';

const stars = (n: number) => '*'.repeat(Math.max(n, 1));

/** Masks one value of a sensitive kind; null and undefined stay as they are. */
export function maskValue(kind: SensitiveKind, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (kind === 'gps') return null;
  const s = String(value);
  const chars = [...s];
  switch (kind) {
    case 'phone':
      return chars.length >= 7 ? `${chars.slice(0, 3).join('')}${stars(chars.length - 7)}${chars.slice(-4).join('')}` : stars(chars.length);
    case 'idNumber':
      return chars.length > 7 ? `${chars.slice(0, 3).join('')}${stars(chars.length - 7)}${chars.slice(-4).join('')}` : stars(chars.length);
    case 'name':
      return `${chars[0] ?? ''}${stars(chars.length - 1)}`;
    case 'address':
      return chars.length > 6 ? `${chars.slice(0, 6).join('')}****` : '****';
    case 'specialPopulation':
      return '***';
  }
}
