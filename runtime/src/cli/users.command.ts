/** `gridflow users set-password <username>`: the password is read from standard input, never from arguments. */
import type { Command } from 'commander';
import { migrateLatest } from '../db/migrate.ts';
import { setPassword } from '../users/passwords.service.ts';
import type { CliContext } from './context.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Registers the user administration commands. */
export function registerUsersCommands(program: Command, ctx: CliContext): void {
  const en = ctx.config.locale === 'en';
  const users = program.command('users').description('administer user accounts');
  users.command('set-password <username>').description('set a password read from standard input (checked against the password policy)')
    .option('--keep', 'do not force a change at the next sign-in')
    .action(async (username: string, opts: { keep?: boolean }) => {
      const db = await ctx.database();
      await migrateLatest(db);
      const password = await readStdin();
      const policy = ctx.config.security.passwordPolicy;
      await setPassword(db, policy, username, password, { username: process.env.USER ?? 'cli', role: 'system-admin' }, { keep: opts.keep ?? false });
      console.log(en ? `Password of ${username} set` : `已设置 ${username} 的密码`);
    });
}
