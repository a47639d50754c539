/** Errors typed by who must act (docs/DESIGN.md, style 6). */
import type { LocalizedText } from './i18n/localized-text.ts';

/** A detail of a user error: where the problem is and what it is. */
export interface ErrorDetail {
  /** File, field or parameter the detail is about. */
  target?: string;
  /** JSON pointer or line within the target. */
  where?: string;
  message: LocalizedText;
}

/** A mistake the user can fix: maps to HTTP 4xx, never logged as a failure, no stack trace shown. */
export class UserError extends Error {
  readonly status: number;
  readonly code: string;
  readonly localized: LocalizedText;
  readonly details: ErrorDetail[];

  constructor(code: string, message: LocalizedText, options: { status?: number; details?: ErrorDetail[] } = {}) {
    super(message.en);
    this.name = 'UserError';
    this.code = code;
    this.localized = message;
    this.status = options.status ?? 400;
    this.details = options.details ?? [];
  }
}

/** A transient failure (network, locked database): the operation may be retried. */
export class OperationalError extends Error {
  readonly localized: LocalizedText;
  constructor(message: LocalizedText, options: { cause?: unknown } = {}) {
    super(message.en, options);
    this.name = 'OperationalError';
    this.localized = message;
  }
}

/** A bug or an unexpected state: HTTP 500, logged with a request id. */
export class UnexpectedError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'UnexpectedError';
  }
}
