/** The workbench's client of the GridFlow API: cookie session with the CSRF token on every change. */
import { locale } from './i18n.ts';

/** An API error with the server's details (field pointers and messages). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly details: { target?: string; message: string }[]) {
    super(message);
  }
}

let csrf: string | undefined;

/** Remembers the session's CSRF token. */
export function setCsrf(token: string | undefined): void {
  csrf = token;
}

interface ErrorBody {
  error?: { message?: string; details?: { target?: string; message?: string | { 'zh-CN': string; en: string } }[] };
}

/** Calls the API; throws ApiError for an error answer. */
export async function api<T>(method: string, path: string, body?: unknown, raw?: Blob): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': locale() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (raw !== undefined) headers['content-type'] = 'application/octet-stream';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  const data = text ? JSON.parse(text) as T & ErrorBody : undefined;
  if (!res.ok) {
    const details = (data?.error?.details ?? []).map((d) => ({ ...(d.target ? { target: d.target } : {}), message: typeof d.message === 'string' ? d.message : d.message?.[locale()] ?? '' }));
    throw new ApiError(res.status, data?.error?.message ?? res.statusText, details);
  }
  return data as T;
}
