/** Reading column values the same way on SQLite (dates as epoch milliseconds) and MySQL (Date objects). */

/** A timestamp column as a Date (null stays null). */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value));
  return new Date(String(value));
}

/** A timestamp column as an ISO string (null stays null). */
export function isoOf(value: unknown): string | null {
  return dateOf(value)?.toISOString() ?? null;
}
