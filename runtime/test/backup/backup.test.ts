import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Knex } from 'knex';
import { EngineProcess, ensureEngineJar, UserError } from '@gridflow/engine';
import type { AuditEntry } from '@gridflow/engine';
import { AuditLog } from '../../src/audit/audit.store.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { backup, planRestore, restore } from '../../src/backup/backup.service.ts';
import { hashFile } from '../../src/backup/backup-manifest.ts';
import { acquireDataDirLock } from '../../src/backup/data-dir-lock.ts';
import type { DataDirLock } from '../../src/backup/data-dir-lock.ts';
import { removeEngineEndpoint, writeEngineEndpoint } from '../../src/backup/engine-endpoint.ts';
import { registerBackupCommands } from '../../src/cli/backup.command.ts';
import { createCliContext } from '../../src/cli/context.ts';

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="backupDefs" targetNamespace="http://gridflow.dev/test">
  <bpmn:process id="backupCase" name="Backup case" isExecutable="true" camunda:historyTimeToLive="P30D">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
    <bpmn:userTask id="handle" name="Handle" camunda:candidateGroups="clerks"/>
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

const entry = (action: string): AuditEntry => ({
  occurredAt: new Date().toISOString(), actor: { username: 'tester' }, action, target: { type: 'test' }, outcome: 'success',
});

/** The built-in engine on the test's ENGINE_DATA_DIR, with raw REST calls. */
async function startEngine(dataDir: string) {
  const secret = randomBytes(12).toString('hex');
  const process = new EngineProcess({ jar: ensureEngineJar('operaton'), flavour: 'operaton', dataDir, secret, restart: false });
  await process.start();
  const authorization = `Basic ${Buffer.from(`gridflow:${secret}`).toString('base64')}`;
  const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, headers: { authorization, 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${process.url}${path}`, init);
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const deploy = async () => {
    const form = new FormData();
    form.set('deployment-name', 'backup-test');
    form.set('backup.bpmn', new Blob([BPMN], { type: 'application/xml' }), 'backup.bpmn');
    const res = await fetch(`${process.url}/engine-rest/deployment/create`, { method: 'POST', headers: { authorization }, body: form });
    assert.ok(res.ok, await res.text());
  };
  const instances = async (businessKey: string) => rest<{ id: string; state: string }[]>('GET', `/engine-rest/history/process-instance?processInstanceBusinessKey=${businessKey}`);
  return { process, secret, rest, deploy, instances };
}

const expectUserError = (code: string, check?: (e: UserError) => void) => (e: unknown) => {
  assert.ok(e instanceof UserError, String(e));
  assert.equal(e.code, code, e.message);
  check?.(e);
  return true;
};

/** SHA-256 of every file in the installation: "nothing changed" is "these are equal". */
function snapshot(paths: string[]): Promise<string[]> {
  return Promise.all(paths.filter((p) => existsSync(p)).map(async (p) => `${p} ${(await hashFile(p)).sha256}`));
}

describe('gridflow backup / restore of the embedded installation', () => {
  const root = mkdtempSync(join(tmpdir(), 'gf-backup-'));
  const config = loadConfig({ DATA_DIR: join(root, 'data'), GRIDFLOW_LANG: 'en' });
  const sqliteFile = join(config.dataDir, 'gridflow.db');
  const engineFile = join(config.engine.dataDir, 'engine.mv.db');
  const backupDir = join(root, 'backups', 'first');
  let engine: Awaited<ReturnType<typeof startEngine>> | undefined;
  let db: Knex | undefined;
  let lock: DataDirLock | undefined;
  let pendingAtBackup = -1;

  before(async () => {
    db = openDatabase(config.databaseUrl);
    await migrateLatest(db);
    await new AuditLog(db).record(entry('test.before'));
    engine = await startEngine(config.engine.dataDir);
    lock = acquireDataDirLock(config); // what gridflow serve does
    writeEngineEndpoint(config.engine.dataDir, { url: engine.process.url, secret: engine.secret, flavour: 'operaton' }); // what the engine host does
    await engine.deploy();
    await engine.rest('POST', '/engine-rest/process-definition/key/backupCase/start', { businessKey: 'before' });
  });

  after(async () => {
    lock?.release();
    await engine?.process.stop();
    await db?.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('takes a consistent backup while GridFlow and the engine run', async () => {
    pendingAtBackup = (await engine!.rest<{ pending: number }>('GET', '/gridflow/outbox/stats')).pending;
    const { dir, manifest } = await backup(config, backupDir);
    assert.equal(dir, backupDir);
    assert.equal(manifest.engine.method, 'online');
    assert.equal(manifest.engine.flavour, 'operaton');
    assert.match(manifest.gridflow.migration ?? '', /^\d{14}_/);
    assert.deepEqual(manifest.files.map((f) => f.name), ['gridflow.db', 'engine/engine.mv.db']);
    assert.deepEqual(readdirSync(join(root, 'backups')), ['first'], 'no temporary folder is left behind');
    assert.deepEqual(readdirSync(backupDir).sort(), ['engine', 'gridflow.db', 'manifest.json']);
  });

  it('refuses a target folder that is not empty', async () => {
    await assert.rejects(backup(config, backupDir), expectUserError('backup.targetNotEmpty'));
  });

  it('refuses MySQL and a separately run engine, pointing to the documented procedure', async () => {
    for (const env of [{ DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/gridflow' }, { ENGINE_DB_URL: 'jdbc:mariadb://127.0.0.1/e' }, { ENGINE_URL: 'http://e:8089', ENGINE_SECRET: 's' }]) {
      const other = loadConfig({ DATA_DIR: join(root, 'other'), ...env });
      await assert.rejects(backup(other, join(root, 'never')), expectUserError('backup.unsupported', (e) => assert.match(e.message, /backup-restore\.md/)));
      await assert.rejects(restore(other, backupDir), expectUserError('backup.unsupported'));
    }
  });

  it('refuses to restore while GridFlow or its engine runs, and changes nothing', async () => {
    await engine!.rest('POST', '/engine-rest/process-definition/key/backupCase/start', { businessKey: 'after' });
    const [task] = await engine!.rest<{ id: string }[]>('GET', '/engine-rest/task?processInstanceBusinessKey=before');
    await engine!.rest('POST', `/engine-rest/task/${task!.id}/complete`, {});
    await new AuditLog(db!).record(entry('test.after'));
    assert.equal((await engine!.instances('before'))[0]?.state, 'COMPLETED');
    await assert.rejects(restore(config, backupDir), expectUserError('dataDir.inUse'));
    lock!.release();
    await assert.rejects(restore(config, backupDir), expectUserError('backup.inUse', (e) => {
      const reasons = e.details.map((d) => d.message.en).join('\n');
      assert.match(reasons, /built-in process engine is running/);
      if (process.platform === 'linux') assert.match(reasons, new RegExp(`process ${process.pid} has it open`), 'the open SQLite database is seen');
    }));
    const plan = await planRestore(config, backupDir);
    assert.equal(plan.inUse?.code, 'backup.inUse', 'a backup can be verified while GridFlow runs; the plan says it is in use');
    assert.equal((await engine!.instances('after')).length, 1, 'the engine was not touched');
  });

  it('refuses a damaged or incomplete backup, naming the file, and changes nothing', async () => {
    await engine!.process.stop();
    removeEngineEndpoint(config.engine.dataDir);
    await db!.destroy();
    db = undefined;
    const live = [sqliteFile, `${sqliteFile}-wal`, engineFile];
    const before = await snapshot(live);
    const damaged = join(root, 'backups', 'damaged');
    cpSync(backupDir, damaged, { recursive: true });
    appendFileSync(join(damaged, 'engine', 'engine.mv.db'), 'x');
    await assert.rejects(restore(config, damaged), expectUserError('backup.corrupt', (e) => {
      assert.deepEqual(e.details.map((d) => d.target), [join(damaged, 'engine', 'engine.mv.db')]);
    }));
    rmSync(join(damaged, 'gridflow.db'));
    writeFileSync(join(damaged, 'engine', 'engine.mv.db'), 'garbage');
    await assert.rejects(restore(config, damaged), expectUserError('backup.corrupt', (e) => assert.equal(e.details.length, 2)));
    assert.deepEqual(await snapshot(live), before);
  });

  it('without --yes only says what would be replaced', async (t) => {
    const lines: string[] = [];
    t.mock.method(console, 'log', (line: string) => lines.push(line));
    const program = new Command('gridflow').exitOverride();
    registerBackupCommands(program, createCliContext({ DATA_DIR: config.dataDir, GRIDFLOW_LANG: 'en' }));
    await assert.rejects(program.parseAsync(['restore', backupDir], { from: 'user' }), expectUserError('backup.confirm'));
    assert.ok(lines.includes(`  ${sqliteFile}`), lines.join('\n'));
    assert.ok(lines.includes(`  ${engineFile}`), lines.join('\n'));
  });

  it('restores: what was written before the backup is back, what came after is gone', async () => {
    const result = await restore(config, backupDir);
    assert.equal(result.auditWarning, undefined);
    assert.ok(result.keptAs.some((f) => f.startsWith(`${sqliteFile}.before-restore-`)), 'the previous database is kept');
    assert.ok(result.keptAs.some((f) => f.startsWith(`${engineFile}.before-restore-`)), 'the previous engine database is kept');
    assert.ok(!existsSync(`${sqliteFile}-wal`), 'no stale WAL of the previous database');
    assert.ok(!existsSync(join(config.dataDir, 'gridflow.lock')), 'the restore released its lock');

    db = openDatabase(config.databaseUrl);
    const actions = (await db('audit_log').orderBy('id').select('action')).map((r: { action: string }) => r.action);
    assert.deepEqual(actions, ['test.before', 'backup.restore']);
    assert.equal((await new AuditLog(db).verify()).ok, true, 'the audit chain is intact');

    engine = await startEngine(config.engine.dataDir);
    const [beforeCase] = await engine.instances('before');
    assert.equal(beforeCase?.state, 'ACTIVE', 'the task completed after the backup is open again');
    assert.equal((await engine.rest<unknown[]>('GET', '/engine-rest/task?processInstanceBusinessKey=before')).length, 1);
    assert.deepEqual(await engine.instances('after'), [], 'the instance started after the backup is gone');
    assert.equal((await engine.rest<{ pending: number }>('GET', '/gridflow/outbox/stats')).pending, pendingAtBackup, 'the outbox is as it was');
  });

  it('backs up a stopped installation by copying the files', async () => {
    await engine!.process.stop();
    await db!.destroy();
    db = undefined;
    mkdirSync(join(root, 'backups', 'empty'));
    const { manifest } = await backup(config, join(root, 'backups', 'empty'));
    assert.equal(manifest.engine.method, 'offline');
    const copied = manifest.files.find((f) => f.name === 'engine/engine.mv.db');
    assert.equal(copied?.sha256, (await hashFile(engineFile)).sha256);
  });
});
