/** Checks of the clock's inputs (instants, time limits, stages): a UserError names the bad parameter's path. */
import type { TimeLimit, TimeLimitStage, TimeLimitType } from '../definitions/model.ts';
import { UserError } from '../errors.ts';

/** The limit types, in the order the definitions format documents them. */
export const timeLimitTypes: readonly TimeLimitType[] = ['urgent', 'workHours', 'workDays', 'naturalDays'];

/** A UserError (code engine.clock.invalidInput) about the parameter at `path`. */
export function invalidInput(path: string, en: string, zh: string): UserError {
  return new UserError('engine.clock.invalidInput', {
    'zh-CN': `时限参数 ${path} 有误：${zh}`,
    en: `Clock input ${path} is invalid: ${en}`,
  }, { details: [{ target: path, message: { 'zh-CN': zh, en } }] });
}

/** Returns the epoch milliseconds of a valid Date, or throws naming `path`. */
export function checkInstant(value: unknown, path: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  throw invalidInput(path, 'expected a valid Date', '需要有效的 Date 时间');
}

/** Throws unless `type` is one of the four limit types. */
export function checkType(type: unknown, path: string): asserts type is TimeLimitType {
  if (!timeLimitTypes.includes(type as TimeLimitType)) {
    throw invalidInput(path, `${JSON.stringify(type)} is not one of ${timeLimitTypes.join(', ')}`, `${JSON.stringify(type)} 不是 ${timeLimitTypes.join('、')} 之一`);
  }
}

/** Throws unless `amount` is a finite number ≥ 0 (> 0 when `positive`). */
export function checkAmount(amount: unknown, path: string, positive = false): asserts amount is number {
  const ok = typeof amount === 'number' && Number.isFinite(amount) && (positive ? amount > 0 : amount >= 0);
  if (!ok) throw invalidInput(path, `${JSON.stringify(amount)} is not a number ${positive ? '> 0' : '≥ 0'}`, `${JSON.stringify(amount)} 不是${positive ? '大于 0' : '不小于 0'}的数`);
}

/** Throws unless the limit (and its stages, with unique names) is well-formed. */
export function checkLimit(limit: unknown, path: string): asserts limit is TimeLimit {
  if (typeof limit !== 'object' || limit === null) throw invalidInput(path, 'expected { type, amount }', '需要 { type, amount }');
  const { type, amount, stages } = limit as Partial<TimeLimit>;
  checkType(type, `${path}.type`);
  checkAmount(amount, `${path}.amount`);
  if (stages !== undefined) checkStages(stages, `${path}.stages`);
}

/** Throws unless the stages are a non-empty list of well-formed stages with unique names. */
export function checkStages(stages: unknown, path: string): asserts stages is TimeLimitStage[] {
  if (!Array.isArray(stages) || stages.length === 0) throw invalidInput(path, 'expected a non-empty list', '需要非空列表');
  const names = new Set<string>();
  stages.forEach((stage: Partial<TimeLimitStage> | null, i) => {
    const at = `${path}[${i}]`;
    if (typeof stage?.name !== 'string' || stage.name === '') throw invalidInput(`${at}.name`, 'the stage needs a name', '阶段需要名称');
    if (names.has(stage.name)) throw invalidInput(`${at}.name`, `stage name ${JSON.stringify(stage.name)} is used twice`, `阶段名称 ${JSON.stringify(stage.name)} 重复`);
    names.add(stage.name);
    checkType(stage.type, `${at}.type`);
    checkAmount(stage.amount, `${at}.amount`);
  });
}
