/** Refusals of actions on objects the user can see but may not act on, naming the rule that forbids it. */
import { UserError, asSubject } from '@gridflow/engine';
import type { AccessAction, AccessSubject } from '@gridflow/engine';
import type { SignedInUser } from './request-context.ts';

/** A 403 that names the separation-of-duties rule when one forbids the action, else a plain refusal. */
export function refusal(user: SignedInUser, action: AccessAction, subject: AccessSubject, record: Record<string, unknown>): UserError {
  const rule = user.ability.relevantRuleFor(action, asSubject(subject, record));
  const sod = rule?.inverted ? user.policy.separationOfDuties.find((r) => r.code === rule.reason) : undefined;
  if (sod) {
    return new UserError('auth.separationOfDuties', { 'zh-CN': `职责分离：${sod.name}`, en: `Separation of duties: ${sod.nameEn ?? sod.name}` }, { status: 403 });
  }
  return new UserError('auth.forbidden', { 'zh-CN': '无权执行此操作', en: 'You are not allowed to do this' }, { status: 403 });
}
