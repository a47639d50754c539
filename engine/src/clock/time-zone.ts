/**
 * Conversion between instants and the wall clock of an IANA time zone, through Intl.DateTimeFormat so
 * that zones with daylight saving time work too (Asia/Shanghai is a fixed UTC+8).
 */

/** Instants and local wall-clock times of one time zone, both as milliseconds since the epoch. */
export interface TimeZone {
  /** The IANA name, e.g. Asia/Shanghai. */
  readonly name: string;
  /** Local wall-clock milliseconds (since 1970-01-01T00:00 local) of an instant. */
  toLocal(instant: number): number;
  /** The instant of a local wall-clock time: a time skipped by a DST gap moves forward by the gap. */
  toInstant(local: number): number;
}

/** True when the runtime knows the IANA time zone name. */
export function isTimeZoneName(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Creates the converter of a time zone the runtime knows (check with isTimeZoneName first). */
export function createTimeZone(name: string): TimeZone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name, hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const offsetAt = (instant: number): number => {
    const seconds = Math.floor(instant / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(seconds)) parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return wall - seconds;
  };
  return {
    name,
    toLocal: (instant) => instant + offsetAt(instant),
    toInstant: (local) => {
      const first = offsetAt(local);
      const guess = local - first;
      const second = offsetAt(guess);
      if (second === first) return guess;
      const retry = local - second;
      if (offsetAt(retry) === second) return retry;
      return local - Math.min(first, second); // the wall time does not exist (DST gap): move forward
    },
  };
}
