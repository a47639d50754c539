/**
 * The EXIF location and time of a photo (JPEG, HEIC, PNG, WebP), read with `exifr` (pure JS, reads
 * only the metadata segments of the file). Absent or broken EXIF is never an error: it gives nothing.
 */
import exifr from 'exifr';

/** What a photo's EXIF tells about where and when it was taken. */
export interface PhotoExif {
  lon?: number;
  lat?: number;
  /** DateTimeOriginal as the camera's local time, `YYYY-MM-DDTHH:mm:ss` (EXIF has no time zone). */
  takenAt?: string;
}

const inRange = (v: unknown, limit: number): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

/** `2026:11:20 09:30:15` → `2026-11-20T09:30:15`, or undefined when not such a time. */
function localTime(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw.trim());
  if (!m || m[1] === '0000') return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

/** Reads GPS position and DateTimeOriginal from a photo file (or its bytes); undefined when there is none. */
export async function readPhotoExif(input: string | Buffer): Promise<PhotoExif | undefined> {
  try {
    const tags = await exifr.parse(input, {
      tiff: true, exif: true, gps: false, ifd1: false, interop: false, xmp: false, icc: false, iptc: false, jfif: false,
      reviveValues: false, translateValues: false, mergeOutput: true,
    }) as Record<string, unknown> | undefined;
    if (!tags) return undefined;
    const gps = await exifr.gps(input).catch(() => undefined) as { latitude?: unknown; longitude?: unknown } | undefined;
    const exif: PhotoExif = {};
    if (gps && inRange(gps.latitude, 90) && inRange(gps.longitude, 180)) {
      exif.lat = gps.latitude;
      exif.lon = gps.longitude;
    }
    const takenAt = localTime(tags.DateTimeOriginal);
    if (takenAt) exif.takenAt = takenAt;
    return Object.keys(exif).length > 0 ? exif : undefined;
  } catch {
    return undefined;
  }
}
