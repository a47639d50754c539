/**
 * Failures of engine REST calls, typed by who must act (docs/DESIGN.md, style 6):
 * - EngineRequestError: the engine rejected the request (4xx, or a rejection Camunda reports as 500,
 *   such as TaskAlreadyClaimedException). Retrying the same request will not help.
 * - EngineServerError (an OperationalError): the engine failed (5xx); retrying may help.
 * - OperationalError: the engine could not be reached or did not answer in time.
 * The engine's own `type` and `message` are always kept.
 */
import { OperationalError } from '../errors.ts';
import type { LocalizedText } from '../i18n/localized-text.ts';

/** What the engine says about a failed request (`{ type, message, code }` in Camunda 7's REST API). */
export interface EngineFailure {
  /** Name of the engine exception, e.g. `InvalidRequestException`, `RestException`. */
  type: string;
  /** The engine's message, unchanged. */
  message: string;
  /** Camunda's error code (custom error codes of ProcessEngineException), when present. */
  code?: number;
}

/** The engine rejected a request: the caller (or the user behind it) must change something. */
export class EngineRequestError extends Error {
  /** HTTP status the engine answered with. */
  readonly status: number;
  /** The engine exception name, e.g. `InvalidRequestException`. */
  readonly type: string;
  /** The engine's message, unchanged. */
  readonly engineMessage: string;
  readonly code: number | undefined;
  /** The operation that failed, e.g. `claim task 42`. */
  readonly operation: string;
  readonly localized: LocalizedText;

  constructor(operation: string, status: number, failure: EngineFailure) {
    const localized = requestErrorText(operation, status, failure);
    super(localized.en);
    this.name = 'EngineRequestError';
    this.status = status;
    this.type = failure.type;
    this.engineMessage = failure.message;
    this.code = failure.code;
    this.operation = operation;
    this.localized = localized;
  }

  /** True when the engine refused GridFlow's credentials (wrong ENGINE_SECRET). */
  get isAuthenticationFailure(): boolean {
    return this.status === 401;
  }
}

/** The engine failed while handling a request (HTTP 5xx): transient, may be retried. */
export class EngineServerError extends OperationalError {
  readonly status: number;
  readonly type: string;
  readonly engineMessage: string;
  readonly operation: string;

  constructor(operation: string, status: number, failure: EngineFailure) {
    super({
      'zh-CN': `流程引擎处理“${operation}”时出错（HTTP ${status}，${failure.type}）：${failure.message}`,
      en: `The process engine failed on "${operation}" (HTTP ${status}, ${failure.type}): ${failure.message}`,
    });
    this.name = 'EngineServerError';
    this.status = status;
    this.type = failure.type;
    this.engineMessage = failure.message;
    this.operation = operation;
  }
}

/**
 * Engine exceptions that Camunda 7's REST API reports as 500 although they are rejections of the
 * request, not failures of the engine: retrying the same request cannot succeed.
 */
const rejectionTypes = new Set([
  'TaskAlreadyClaimedException',
  'MismatchingMessageCorrelationException',
  'NullValueException',
  'BadUserRequestException',
  'NotFoundException',
  'NotValidException',
]);

/** Maps a non-2xx engine response to the error the caller gets. */
export function toEngineError(operation: string, status: number, body: unknown): EngineRequestError | EngineServerError {
  const failure = readFailure(status, body);
  if (status < 500 || rejectionTypes.has(failure.type)) return new EngineRequestError(operation, status, failure);
  return new EngineServerError(operation, status, failure);
}

/** A network failure or timeout: the engine could not be reached. */
export function unreachableError(operation: string, baseUrl: string, cause: unknown): OperationalError {
  const reason = describeCause(cause);
  return new OperationalError({
    'zh-CN': `无法连接流程引擎 ${baseUrl}（${operation}）：${reason}`,
    en: `Cannot reach the process engine at ${baseUrl} (${operation}): ${reason}`,
  }, { cause });
}

function readFailure(status: number, body: unknown): EngineFailure {
  if (body && typeof body === 'object') {
    const { type, message, code } = body as Record<string, unknown>;
    if (typeof message === 'string') {
      return {
        type: typeof type === 'string' ? type : `HTTP ${status}`,
        message,
        ...(typeof code === 'number' ? { code } : {}),
      };
    }
  }
  const text = typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : `HTTP ${status} without a message`;
  return { type: `HTTP ${status}`, message: text };
}

function requestErrorText(operation: string, status: number, failure: EngineFailure): LocalizedText {
  if (status === 401) {
    return {
      'zh-CN': `流程引擎身份验证失败（HTTP 401，${operation}）：请检查 ENGINE_SECRET 与引擎的是否一致。引擎返回：${failure.message}`,
      en: `Authentication with the process engine failed (HTTP 401, ${operation}): check that ENGINE_SECRET matches the engine's. The engine said: ${failure.message}`,
    };
  }
  return {
    'zh-CN': `流程引擎拒绝了“${operation}”（HTTP ${status}，${failure.type}）：${failure.message}`,
    en: `The process engine rejected "${operation}" (HTTP ${status}, ${failure.type}): ${failure.message}`,
  };
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError') return 'no answer in time';
    const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
    return inner?.code ?? inner?.message ?? cause.message;
  }
  return String(cause);
}
