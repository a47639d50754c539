/** Problems found in assessment input, each with the path of its field, thrown together as one UserError. */
import { UserError } from '../errors.ts';
import type { LocalizedText } from '../i18n/localized-text.ts';

/** One problem of an input: the path of the field (`history[12].department`) and what is wrong with it. */
export interface AssessmentProblem {
  path: string;
  message: LocalizedText;
}

/** Records a problem at `path`. */
export function addProblem(out: AssessmentProblem[], path: string, en: string, zh: string): void {
  out.push({ path, message: { 'zh-CN': zh, en } });
}

const shownInMessage = 10;

/** Throws a UserError with `code` naming every problem (the first ten in the message), if there are any. */
export function throwIfProblems(out: AssessmentProblem[], code: string, subject: LocalizedText): void {
  if (out.length === 0) return;
  const list = (locale: 'zh-CN' | 'en') => {
    const shown = out.slice(0, shownInMessage).map((p) => `${p.path}: ${p.message[locale]}`).join('; ');
    const more = out.length - shownInMessage;
    if (more <= 0) return shown;
    return locale === 'en' ? `${shown}; and ${more} more` : `${shown}；另有 ${more} 处`;
  };
  throw new UserError(code, {
    'zh-CN': `${subject['zh-CN']}有误：${list('zh-CN')}`,
    en: `The ${subject.en} is invalid: ${list('en')}`,
  }, { details: out.map((p) => ({ target: p.path, where: pointerOf(p.path), message: p.message })) });
}

/** The JSON pointer of a field path: history[3].departments[0].code → /history/3/departments/0/code. */
function pointerOf(path: string): string {
  return '/' + path.replace(/\[(\d+)\]/g, '.$1').split('.').join('/');
}

const instantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The epoch milliseconds of an ISO 8601 instant with an offset or Z; undefined when it is not one. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = instantPattern.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
  if (!realDay || hour! > 23 || minute! > 59 || second! > 59 || offH! > 23 || offM! > 59) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
