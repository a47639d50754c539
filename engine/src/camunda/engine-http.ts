/**
 * The typed HTTP layer under the engine client: openapi-fetch over the generated `paths` of the
 * Camunda 7 REST API, with HTTP Basic auth (user `gridflow`, password ENGINE_SECRET), a timeout,
 * and one place that turns failures into typed errors (engine-errors.ts).
 */
import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import type { paths } from './generated/engine-rest.ts';
import { toEngineError, unreachableError } from './engine-errors.ts';

/** How to reach the engine. */
export interface EngineConnection {
  /** The engine's URL, e.g. `http://127.0.0.1:8089`; `/engine-rest` is appended unless present. */
  baseUrl: string;
  /** Password of the Basic auth user (ENGINE_SECRET); undefined sends no credentials. */
  secret: string | undefined;
  /** Basic auth user (default `gridflow`). */
  user?: string;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
}

/** The raw typed REST client plus the helper that unwraps its results. */
export interface EngineHttp {
  /** openapi-fetch client over every path of the REST API; prefer the facade's operations. */
  readonly rest: Client<paths>;
  /** Base URL of the REST API, ending in `/engine-rest`. */
  readonly restUrl: string;
  /** Awaits a request and returns its data, or throws the typed error for a failure. */
  send<R extends RestResult>(operation: string, request: () => Promise<R>): Promise<DataOf<R>>;
}

/** The shape openapi-fetch resolves with (data on success, error otherwise). */
export interface RestResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The success data of an openapi-fetch result (undefined at run time for 204 responses). */
export type DataOf<R> = R extends { data: infer D } ? D : never;

/** Creates the HTTP layer for one engine. */
export function createEngineHttp(connection: EngineConnection): EngineHttp {
  const restUrl = restUrlOf(connection.baseUrl);
  const baseFetch = connection.fetch ?? globalThis.fetch;
  const timeoutMs = connection.timeoutMs ?? 30_000;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (connection.secret !== undefined) {
    const credentials = Buffer.from(`${connection.user ?? 'gridflow'}:${connection.secret}`).toString('base64');
    headers.authorization = `Basic ${credentials}`;
  }
  const rest = createClient<paths>({
    baseUrl: restUrl,
    headers,
    fetch: (request: Request) => baseFetch(request, { signal: AbortSignal.timeout(timeoutMs) }),
  });

  async function send<R extends RestResult>(operation: string, request: () => Promise<R>): Promise<DataOf<R>> {
    let result: R;
    try {
      result = await request();
    } catch (cause) {
      throw unreachableError(operation, restUrl, cause);
    }
    if (!result.response.ok) throw toEngineError(operation, result.response.status, result.error);
    return result.data as DataOf<R>;
  }

  return { rest, restUrl, send };
}

function restUrlOf(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/engine-rest') ? trimmed : `${trimmed}/engine-rest`;
}
