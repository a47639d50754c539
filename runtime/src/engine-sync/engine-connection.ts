/** An authenticated connection to the engine's REST API and GridFlow's outbox endpoints. */
import { OperationalError } from '@gridflow/engine';

/** Where the engine is and how to authenticate. */
export interface EngineConnection {
  /** Base URL without path, e.g. http://127.0.0.1:8089 */
  url: string;
  secret: string;
}

/** A request the engine refused (4xx, or a 5xx carrying an engine exception), with its message. */
export class EngineHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'EngineHttpError';
  }
}

/** Calls the engine; network failures and transient 5xx become OperationalError, refusals EngineHttpError. */
export async function engineFetch<T>(
  engine: EngineConnection, method: string, path: string, body?: unknown, timeoutMs = 30_000, signal?: AbortSignal,
): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const init: RequestInit = {
    method,
    headers: { authorization: `Basic ${Buffer.from(`gridflow:${engine.secret}`).toString('base64')}`, 'content-type': 'application/json' },
    signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(`${engine.url}${path}`, init);
  } catch (e) {
    throw new OperationalError({ 'zh-CN': `流程引擎不可用：${(e as Error).message}`, en: `The process engine is unavailable: ${(e as Error).message}` }, { cause: e });
  }
  const text = await res.text();
  if (!res.ok) {
    const engineError = parseEngineError(text);
    // The engine answered deliberately (a typed exception): retrying the same request will not help,
    // except after an optimistic locking conflict. Anything else (proxy errors, no body) is transient.
    if (res.status < 500 || (engineError && engineError.type !== 'OptimisticLockingException')) {
      throw new EngineHttpError(res.status, engineError?.message ?? text.slice(0, 1000));
    }
    throw new OperationalError({ 'zh-CN': `流程引擎出错（${res.status}）：${text.slice(0, 300)}`, en: `The process engine failed (${res.status}): ${text.slice(0, 300)}` });
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

function parseEngineError(text: string): { type: string; message: string } | undefined {
  try {
    const body = JSON.parse(text) as { type?: unknown; message?: unknown };
    return typeof body.type === 'string' ? { type: body.type, message: String(body.message ?? '') } : undefined;
  } catch {
    return undefined;
  }
}
