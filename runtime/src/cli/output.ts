/** CLI output: localized messages, problem lists, and exit codes by error type (no stack for user mistakes). */
import { formatProblem, OperationalError, UserError } from '@gridflow/engine';
import type { Locale, LocalizedText, Problem } from '@gridflow/engine';
import { PackageInvalidError } from '../definitions/definitions.service.ts';

/** Exit codes: 1 user mistake, 2 environment problem (database, engine), 70 bug. */
export const exitCodes = { user: 1, operational: 2, unexpected: 70 } as const;

/** Prints problems and a count line; returns the number of errors. */
export function printProblems(problems: Problem[], locale: Locale, out: (line: string) => void = console.error): number {
  for (const p of problems) out(formatProblem(p, locale));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  out(locale === 'en' ? `${errors} error(s), ${warnings} warning(s)` : `${errors} 个错误，${warnings} 个警告`);
  return errors;
}

/** Prints an error the way its type asks for and returns the exit code. */
export function reportError(e: unknown, locale: Locale): number {
  if (e instanceof PackageInvalidError) {
    printProblems(e.problems, locale);
    console.error(e.localized[locale]);
    return exitCodes.user;
  }
  if (e instanceof UserError) {
    console.error(e.localized[locale]);
    for (const d of e.details) console.error(`  ${d.target ?? ''}${d.where ? `:${d.where}` : ''}  ${d.message[locale]}`);
    return exitCodes.user;
  }
  if (e instanceof OperationalError) {
    console.error(e.localized[locale]);
    return exitCodes.operational;
  }
  const text: LocalizedText = { 'zh-CN': '意外错误（请把以下信息提供给技术支持）：', en: 'Unexpected error (please pass the following to support):' };
  console.error(text[locale]);
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  return exitCodes.unexpected;
}
