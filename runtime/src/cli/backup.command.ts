/** `gridflow backup <dir>` and `gridflow restore <dir> [--yes]`: the embedded installation (SQLite + the built-in engine's H2). */
import type { Command } from 'commander';
import { UserError } from '@gridflow/engine';
import { backup, planRestore, restore } from '../backup/backup.service.ts';
import type { BackupManifest } from '../backup/backup-manifest.ts';
import type { CliContext } from './context.ts';

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/** Lines describing a backup's content. */
function describe(manifest: BackupManifest, en: boolean): string[] {
  const method = { online: en ? 'online' : '在线', offline: en ? 'engine stopped' : '引擎已停止', none: en ? 'no engine database yet' : '尚无引擎数据库' }[manifest.engine.method];
  return [
    en ? `  taken at         ${manifest.createdAt}` : `  备份时间     ${manifest.createdAt}`,
    en ? `  GridFlow schema  ${manifest.gridflow.migration ?? '-'}` : `  数据库结构   ${manifest.gridflow.migration ?? '-'}`,
    en ? `  engine           ${manifest.engine.flavour} (${method})` : `  流程引擎     ${manifest.engine.flavour}（${method}）`,
    ...manifest.files.map((f) => `  ${f.name.padEnd(20)} ${size(f.bytes).padStart(11)}  sha256 ${f.sha256}`),
    ...attachmentsLine(manifest, en),
  ];
}

function attachmentsLine(manifest: BackupManifest, en: boolean): string[] {
  const a = manifest.attachments;
  if (!a) return [];
  if (a.store === 's3') return [en ? `  attachments      in S3 bucket ${a.bucket} (not copied)` : `  附件         存于 S3 存储桶 ${a.bucket}（不在备份中）`];
  return [en ? `  attachments      ${a.count} file(s), ${size(a.bytes)}` : `  附件         ${a.count} 个文件，${size(a.bytes)}`];
}

/** Registers backup and restore. */
export function registerBackupCommands(program: Command, ctx: CliContext): void {
  const en = ctx.config.locale === 'en';
  program.command('backup <dir>')
    .description('copy the embedded database and the engine database consistently into a new folder (also while GridFlow runs)')
    .action(async (dir: string) => {
      const result = await backup(ctx.config, dir);
      console.log(en ? `Backup written to ${result.dir}` : `备份已写入 ${result.dir}`);
      for (const line of describe(result.manifest, en)) console.log(line);
    });

  program.command('restore <dir>')
    .description('replace the embedded database and the engine database with a backup (GridFlow must be stopped)')
    .option('--yes', 'really replace the current data')
    .action(async (dir: string, opts: { yes?: boolean }) => {
      if (!opts.yes) {
        const plan = await planRestore(ctx.config, dir);
        console.log(en ? `The backup ${plan.from} is complete and intact:` : `备份 ${plan.from} 完整且校验通过：`);
        for (const line of describe(plan.manifest, en)) console.log(line);
        console.log(en ? 'Restoring it replaces (the current files are kept as *.before-restore-<time>):' : '恢复将替换以下文件（当前文件保留为 *.before-restore-<时间>）：');
        for (const file of plan.replaces) console.log(`  ${file}`);
        if (plan.replaces.length === 0) console.log(en ? '  (nothing: there is no current data)' : '  （无：当前没有数据）');
        console.log(en ? 'Everything written since the backup is then gone from GridFlow and the engine.' : '备份之后写入的所有数据（GridFlow 与流程引擎中）都将不再存在。');
        if (plan.inUse) throw plan.inUse;
        throw new UserError('backup.confirm', {
          'zh-CN': '未做任何更改。确认恢复请加 --yes 重新运行。',
          en: 'Nothing was changed. Run again with --yes to restore.',
        });
      }
      const result = await restore(ctx.config, dir);
      console.log(en ? `Restored ${result.from}:` : `已从 ${result.from} 恢复：`);
      for (const line of describe(result.manifest, en)) console.log(line);
      if (result.keptAs.length > 0) console.log(en ? 'The previous files are kept (archive or delete them when no longer needed):' : '原有文件已保留（不再需要时请归档或删除）：');
      for (const file of result.keptAs) console.log(`  ${file}`);
      if (result.auditWarning) console.error(en ? `Warning: the restore could not be recorded in the audit log: ${result.auditWarning}` : `警告：未能在审计日志中记录本次恢复：${result.auditWarning}`);
      console.log(en ? 'Next: start GridFlow (gridflow serve), then run gridflow audit verify.' : '下一步：启动 GridFlow（gridflow serve），然后运行 gridflow audit verify。');
    });
}
