/**
 * Password policies: the 等保 profile (at least 8 characters from 3 of the 4 classes: lower case,
 * upper case, digits, symbols) and a length-only profile (at least 12 characters, no composition
 * rules, as current NIST guidance prefers). Both refuse the username inside the password.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';

/** A password policy. */
export interface PasswordPolicy {
  profile: 'dengbao' | 'length-only';
  minLength: number;
  /** How many of the 4 character classes a password needs. */
  minClasses: number;
  /** Days until a password must be changed (undefined: no expiry). */
  maxAgeDays?: number;
}

/** The 等保 level 2/3 profile (the default). */
export const dengbaoPolicy: PasswordPolicy = { profile: 'dengbao', minLength: 8, minClasses: 3 };
/** The alternative profile without composition rules. */
export const lengthOnlyPolicy: PasswordPolicy = { profile: 'length-only', minLength: 12, minClasses: 1 };

/** The policy of a profile name (GRIDFLOW_PASSWORD_POLICY), with an optional expiry. */
export function passwordPolicy(profile: string | undefined, maxAgeDays?: number): PasswordPolicy {
  const base = profile === 'length-only' ? lengthOnlyPolicy : dengbaoPolicy;
  if (profile !== undefined && profile !== 'dengbao' && profile !== 'length-only') {
    throw new Error(`GRIDFLOW_PASSWORD_POLICY must be dengbao or length-only, got "${profile}"`);
  }
  return maxAgeDays ? { ...base, maxAgeDays } : base;
}

const classes: [RegExp, LocalizedText][] = [
  [/[a-z]/, { 'zh-CN': '小写字母', en: 'lower-case letters' }],
  [/[A-Z]/, { 'zh-CN': '大写字母', en: 'upper-case letters' }],
  [/[0-9]/, { 'zh-CN': '数字', en: 'digits' }],
  [/[^a-zA-Z0-9]/, { 'zh-CN': '符号', en: 'symbols' }],
];

/** Every rule the password breaks (empty when it is acceptable). */
export function checkPassword(password: string, policy: PasswordPolicy, username?: string): LocalizedText[] {
  const problems: LocalizedText[] = [];
  if ([...password].length < policy.minLength) {
    problems.push({ 'zh-CN': `密码至少 ${policy.minLength} 位`, en: `The password needs at least ${policy.minLength} characters` });
  }
  const present = classes.filter(([re]) => re.test(password)).length;
  if (present < policy.minClasses) {
    problems.push({
      'zh-CN': `密码须包含${classes.map(([, n]) => n['zh-CN']).join('、')}中的至少 ${policy.minClasses} 类`,
      en: `The password needs at least ${policy.minClasses} of: ${classes.map(([, n]) => n.en).join(', ')}`,
    });
  }
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ 'zh-CN': '密码不能包含用户名', en: 'The password may not contain the username' });
  }
  if (/^(.)\1+$/.test(password)) problems.push({ 'zh-CN': '密码不能由同一个字符组成', en: 'The password may not repeat one character' });
  return problems;
}

/** True when a password set at `changedAt` has expired under the policy. */
export function passwordExpired(changedAt: Date | null, policy: PasswordPolicy, now: Date): boolean {
  if (!policy.maxAgeDays || !changedAt) return false;
  return now.getTime() - changedAt.getTime() >= policy.maxAgeDays * 86_400_000;
}
