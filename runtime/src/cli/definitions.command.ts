/** `gridflow definitions validate | import | export | diff | list`. */
import type { Command } from 'commander';
import type { Locale } from '@gridflow/engine';
import { DefinitionsService } from '../definitions/definitions.service.ts';
import { migrateLatest } from '../db/migrate.ts';
import { loadPlugins } from '../plugins/load-plugins.ts';
import { boundTopicNames } from '../engine-host/core-topics.ts';
import type { CliContext } from './context.ts';
import { exitCodes, printProblems } from './output.ts';

const say = (locale: Locale, zh: string, en: string) => console.log(locale === 'en' ? en : zh);

/** Registers the definitions commands. */
export function registerDefinitionsCommands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const locale = ctx.config.locale;
  const defs = program.command('definitions').description('validate, import, export and compare definitions packages');
  const topics = async () => boundTopicNames(await loadPlugins(ctx.config.plugins));
  const service = async () => {
    const db = await ctx.database();
    await migrateLatest(db);
    return new DefinitionsService(db, undefined, await topics());
  };

  defs.command('validate <path>').description('report every problem of a package folder or .zip (no database needed)')
    .option('--json', 'print problems as JSON')
    .action(async (path: string, opts: { json?: boolean }) => {
      const result = await new DefinitionsService(undefined, undefined, await topics()).validate(path);
      if (opts.json) console.log(JSON.stringify(result.problems, null, 2));
      const errors = opts.json ? result.problems.filter((p) => p.severity === 'error').length : printProblems(result.problems, locale);
      if (errors === 0 && !opts.json) say(locale, `配置包有效：${result.resolved?.manifest.key}@${result.resolved?.manifest.version}`, `Package is valid: ${result.resolved?.manifest.key}@${result.resolved?.manifest.version}`);
      setExit(errors > 0 ? exitCodes.user : 0);
    });

  defs.command('import <path>').description('validate and publish a package (and its unpublished base) all-or-nothing')
    .option('--by <username>', 'who publishes (recorded)')
    .action(async (path: string, opts: { by?: string }) => {
      const { outcomes, warnings } = await (await service()).import(path, opts.by);
      if (warnings.length > 0) printProblems(warnings, locale);
      for (const o of outcomes) {
        if (o.status === 'published') say(locale, `已发布 ${o.key}@${o.version}`, `Published ${o.key}@${o.version}`);
        else say(locale, `${o.key}@${o.version} 内容未变，无需发布`, `${o.key}@${o.version} unchanged, nothing to publish`);
      }
    });

  defs.command('export <ref> <target>').description('write a published version (key@version) to a folder or a .zip')
    .action(async (ref: string, target: string) => {
      const pkg = await (await service()).export(ref, target);
      say(locale, `已导出 ${pkg.manifest.key}@${pkg.manifest.version} 到 ${target}`, `Exported ${pkg.manifest.key}@${pkg.manifest.version} to ${target}`);
    });

  defs.command('diff <from> <to>').description('compare two published versions (key@v1 key@v2)')
    .option('--json', 'print the difference as JSON')
    .action(async (from: string, to: string, opts: { json?: boolean }) => {
      const diff = await (await service()).diff(from, to);
      if (opts.json) {
        console.log(JSON.stringify(diff, null, 2));
        return;
      }
      if (diff.collections.length === 0) say(locale, '两个版本内容相同', 'The versions have the same content');
      for (const c of diff.collections) {
        console.log(`${c.kind} ${c.collection}`);
        for (const k of c.added) console.log(`  + ${k}`);
        for (const k of c.removed) console.log(`  - ${k}`);
        for (const ch of c.changed) console.log(`  ~ ${ch.key}: ${ch.fields.join(', ')}`);
      }
    });

  defs.command('list').description('list published versions').option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await (await service()).list();
      if (opts.json) {
        console.log(JSON.stringify(list, null, 2));
        return;
      }
      for (const v of list) {
        const base = v.base ? ` ← ${v.base}` : '';
        console.log(`${v.active ? '*' : ' '} ${v.key}@${v.version}  ${v.name}${base}  ${v.publishedAt}  ${v.hash.slice(0, 12)}`);
      }
    });
}
