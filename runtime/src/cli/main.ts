/** The `gridflow` command line. */
import { Command } from 'commander';
import { createCliContext } from './context.ts';
import { registerDbCommands } from './db.command.ts';
import { registerDefinitionsCommands } from './definitions.command.ts';
import { registerServeCommands } from './serve.command.ts';
import { registerIncidentsCommand } from './incidents.command.ts';
import { registerAuditCommands } from './audit.command.ts';
import { registerUsersCommands } from './users.command.ts';
import { registerBackupCommands } from './backup.command.ts';
import { reportError } from './output.ts';
import { parseLocale } from '@gridflow/engine';

/** Runs the CLI with arguments (without node and script); resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  let locale = parseLocale(process.env.GRIDFLOW_LANG ?? process.env.LANG);
  let ctx;
  try {
    ctx = createCliContext();
    locale = ctx.config.locale;
    const program = new Command('gridflow').description('GridFlow: low-code workflow and forms for grid-based social governance')
      .exitOverride().showHelpAfterError();
    registerDbCommands(program, ctx);
    registerDefinitionsCommands(program, ctx, (code) => { exitCode = code; });
    registerServeCommands(program, ctx);
    registerIncidentsCommand(program, ctx);
    registerAuditCommands(program, ctx, (code) => { exitCode = code; });
    registerUsersCommands(program, ctx);
    registerBackupCommands(program, ctx);
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) exitCode = (e as { exitCode: number }).exitCode;
    else exitCode = reportError(e, locale);
  } finally {
    await ctx?.close();
  }
  return exitCode;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
