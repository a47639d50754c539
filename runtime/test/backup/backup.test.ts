import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Knex } from 'knex';
import { EngineProcess, ensureEngineJar, UserError } from '@gridflow/engine';
import type { AuditEntry } from '@gridflow/engine';
import { AuditLog } from '../../src/audit/audit.store.ts';
import { contentKey, LocalBlobStore } from '../../src/attachments/attachment.storage.ts';
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

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Stores bytes in the local attachment store as the attachments service does; returns the blob's path. */
async function putBlob(store: LocalBlobStore, bytes: Buffer): Promise<string> {
  const key = contentKey(createHash('sha256').update(bytes).digest('hex'));
  await store.put(key, bytes);
  return join(store.root, key);
}

/** Flips one byte of a file. */
function flipByte(path: string, at = 0): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(path, bytes);
}

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
  const store = new LocalBlobStore(config.attachments.localDir);
  const photo = randomBytes(300_000);
  const doc = randomBytes(1_000);
  let blobs: string[] = [];

  before(async () => {
    db = openDatabase(config.databaseUrl);
    await migrateLatest(db);
    await new AuditLog(db).record(entry('test.before'));
    engine = await startEngine(config.engine.dataDir);
    lock = acquireDataDirLock(config); // what gridflow serve does
    writeEngineEndpoint(config.engine.dataDir, { url: engine.process.url, secret: engine.secret, flavour: 'operaton' }); // what the engine host does
    await engine.deploy();
    await engine.rest('POST', '/engine-rest/process-definition/key/backupCase/start', { businessKey: 'before' });
    blobs = [await putBlob(store, photo), await putBlob(store, doc)];
    writeFileSync(join(store.tmpDir, 'half.upload'), 'an upload in progress');
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
    assert.deepEqual(readdirSync(backupDir).sort(), ['attachments', 'engine', 'gridflow.db', 'manifest.json']);
    const names = blobs.map((b) => b.slice(-64)).sort();
    assert.deepEqual(manifest.attachments, {
      store: 'local', count: 2, bytes: photo.length + doc.length,
      namesSha256: createHash('sha256').update(names.map((n) => `${n}\n`).join('')).digest('hex'),
    });
    assert.equal(manifest.formatVersion, 2);
    assert.deepEqual(filesUnder(join(backupDir, 'attachments')), names.map((n) => join(backupDir, 'attachments', contentKey(n))).sort(), 'every blob, no tmp/');
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

  it('refuses a backup with a damaged blob, naming it, and changes nothing', async () => {
    for (const blob of blobs) rmSync(blob); // lost since the backup: the restore must bring them back
    await putBlob(store, Buffer.from('uploaded after the backup'));
    const live = [sqliteFile, `${sqliteFile}-wal`, engineFile, ...filesUnder(store.root)];
    const before = await snapshot(live);
    const damaged = join(root, 'backups', 'damaged-blob');
    cpSync(backupDir, damaged, { recursive: true });
    const blob = join(damaged, 'attachments', contentKey(blobs[0]!.slice(-64)));
    flipByte(blob, 1234);
    await assert.rejects(restore(config, damaged), expectUserError('backup.corrupt', (e) => {
      assert.deepEqual(e.details.map((d) => d.target), [blob]);
    }));
    rmSync(blob);
    await assert.rejects(planRestore(config, damaged), expectUserError('backup.corrupt', (e) => {
      assert.deepEqual(e.details.map((d) => d.target), [join(damaged, 'attachments')], 'a missing blob is noticed');
    }));
    assert.deepEqual(await snapshot(live), before);
    assert.deepEqual(filesUnder(store.root), live.slice(3).filter((f) => existsSync(f)), 'no blob was added');
  });

  it('still restores a backup made before attachments (format 1)', async () => {
    const old = join(root, 'backups', 'format-1');
    cpSync(backupDir, old, { recursive: true });
    rmSync(join(old, 'attachments'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(old, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.attachments;
    writeFileSync(join(old, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 1 }));
    const plan = await planRestore(config, old);
    assert.equal(plan.inUse, undefined);
    assert.equal(plan.attachmentsInto, undefined, 'no blobs to put back');
    writeFileSync(join(old, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 1, attachments: { store: 's3', bucket: 'b' } }));
    await assert.rejects(planRestore(config, old), expectUserError('backup.notABackup'));
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
    const extra = filesUnder(store.root).filter((f) => !f.includes(`${join(store.root, 'tmp')}/`));
    assert.equal(extra.length, 1, 'the blob uploaded after the backup');
    const result = await restore(config, backupDir);
    assert.equal(result.auditWarning, undefined);
    assert.deepEqual(result.attachments, { added: 2, kept: 0, keptAs: [] });
    assert.ok(readFileSync(blobs[0]!).equals(photo), 'the photo is back, byte for byte');
    assert.ok(readFileSync(blobs[1]!).equals(doc), 'the document is back, byte for byte');
    assert.ok(existsSync(extra[0]!), 'a blob the backup lacks is kept');
    assert.deepEqual(readdirSync(store.tmpDir), ['half.upload'], 'no temporary file is left in the store');
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
    assert.equal(manifest.attachments?.store === 'local' && manifest.attachments.count, 3);
  });

  it('refuses to back up a damaged blob of the store, naming it, and a restore replaces it', async () => {
    flipByte(blobs[1]!);
    await assert.rejects(backup(config, join(root, 'backups', 'never')), expectUserError('backup.attachmentDamaged', (e) => {
      assert.deepEqual(e.details.map((d) => d.target), [blobs[1]]);
    }));
    assert.ok(!readdirSync(join(root, 'backups')).some((n) => n.startsWith('.never') || n === 'never'), 'nothing was written');
    const result = await restore(config, backupDir);
    assert.deepEqual({ ...result.attachments, keptAs: result.attachments?.keptAs.length }, { added: 1, kept: 1, keptAs: 1 });
    assert.ok(readFileSync(blobs[1]!).equals(doc), 'the damaged blob is replaced by the good copy');
  });

  it('with the S3 store records the bucket only, and refuses to restore into the other kind of store', async () => {
    const s3 = loadConfig({ DATA_DIR: config.dataDir, GRIDFLOW_LANG: 'en', GRIDFLOW_ATTACHMENTS_STORE: 's3', GRIDFLOW_S3_BUCKET: 'gridflow-files' });
    const dir = join(root, 'backups', 's3');
    const { manifest } = await backup(s3, dir);
    assert.deepEqual(manifest.attachments, { store: 's3', bucket: 'gridflow-files' });
    assert.ok(!existsSync(join(dir, 'attachments')));
    await assert.rejects(planRestore(config, dir), expectUserError('backup.attachmentStore'));
    await assert.rejects(planRestore(s3, backupDir), expectUserError('backup.attachmentStore'));
  });
});
