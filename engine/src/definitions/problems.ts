/** Problems found in a definitions package: every one with file, position, pointer and message. */
import { format } from '../i18n/localized-text.ts';
import type { Locale, LocalizedText } from '../i18n/localized-text.ts';
import { messages } from './messages.ts';
import type { MessageCode } from './messages.ts';
import type { Position } from './source-file.ts';

/** One problem of a definitions package. */
export interface Problem {
  severity: 'error' | 'warning';
  code: MessageCode;
  /** Path of the file inside the package, prefixed by the package key for base packages. */
  file: string;
  pointer?: string;
  line?: number;
  column?: number;
  message: LocalizedText;
}

/** Where a problem sits: a file and optionally a pointer and position. */
export interface Location {
  file: string;
  pointer?: string;
  position?: Position | undefined;
}

/** Collects problems; `error` and `warn` take a message code and its parameters. */
export class Problems {
  readonly list: Problem[] = [];

  error(code: MessageCode, at: Location, params: Record<string, unknown> = {}): void {
    this.add('error', code, at, params);
  }

  warn(code: MessageCode, at: Location, params: Record<string, unknown> = {}): void {
    this.add('warning', code, at, params);
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }

  private add(severity: Problem['severity'], code: MessageCode, at: Location, params: Record<string, unknown>): void {
    const problem: Problem = { severity, code, file: at.file, message: format(messages[code], params) };
    if (at.pointer !== undefined) problem.pointer = at.pointer;
    if (at.position) {
      problem.line = at.position.line;
      problem.column = at.position.column;
    }
    this.list.push(problem);
  }
}

/** Orders problems by file, line, then pointer, so reports are stable. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) =>
    a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.pointer ?? '').localeCompare(b.pointer ?? ''));
}

/** One line per problem: `file:line:col pointer  severity  message`. */
export function formatProblem(p: Problem, locale: Locale): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  const pointer = p.pointer ? ` ${p.pointer}` : '';
  const label = locale === 'en' ? p.severity : p.severity === 'error' ? '错误' : '警告';
  return `${where}${pointer}  ${label}  ${p.message[locale]}`;
}
