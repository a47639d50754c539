/** Setting passwords: checked against the configured policy, hashed with argon2id, audited. */
import type { Knex } from 'knex';
import { hash } from '@node-rs/argon2';
import { checkPassword, UserError } from '@gridflow/engine';
import type { AuditActor, PasswordPolicy } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';

/** argon2id with the library's defaults (19 MiB, 2 passes), the OWASP baseline. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Sets a user's password (forcing a change at next sign-in unless `keep`), in one audited transaction. */
export async function setPassword(
  db: Knex, policy: PasswordPolicy, username: string, password: string, actor: AuditActor, options: { keep?: boolean; now?: Date } = {},
): Promise<void> {
  const user = await db('users').where({ username }).first('id', 'status');
  if (!user) throw new UserError('users.notFound', { 'zh-CN': `用户不存在：${username}`, en: `No user ${username}` }, { status: 404 });
  const problems = checkPassword(password, policy, username);
  if (problems.length > 0) {
    throw new UserError('users.weakPassword', { 'zh-CN': '密码不符合密码策略', en: 'The password does not meet the password policy' }, {
      details: problems.map((message) => ({ target: 'password', message })),
    });
  }
  const passwordHash = await hashPassword(password);
  const now = options.now ?? new Date();
  await db.transaction(async (trx) => {
    await trx('users').where({ id: user.id }).update({
      password_hash: passwordHash, must_change_password: !options.keep, password_changed_at: now,
      failed_attempts: 0, locked_until: null, updated_at: now,
    });
    await new AuditLog(db).append(trx, {
      occurredAt: now.toISOString(), actor, action: 'user.setPassword', target: { type: 'user', id: username }, outcome: 'success',
      details: { forceChange: !options.keep },
    });
  });
}
