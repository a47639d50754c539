import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { AuditEntry } from '@gridflow/engine';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { AuditLog } from '../src/audit/audit.store.ts';
import { migrateLatest, migrateRollback } from '../src/db/migrate.ts';
import { DefinitionsService } from '../src/definitions/definitions.service.ts';
import { describeEachDatabase } from './support/databases.ts';
import { copyPackages } from './support/package-copies.ts';

const entry = (n: number, occurredAt = `2026-01-0${1 + (n % 9)}T08:00:00.000Z`): AuditEntry => ({
  occurredAt, actor: { username: 'jddd01', role: 'street-dispatcher', orgUnit: '370102001' }, ip: '127.0.0.1', userAgent: 'test',
  action: 'case.dispatch', target: { type: 'case', id: `case-${n}` }, outcome: 'success', afterDigest: `d${n}`,
});

async function fresh(db: Knex): Promise<AuditLog> {
  await migrateRollback(db, true);
  await migrateLatest(db);
  return new AuditLog(db);
}

describeEachDatabase('audit log', (test) => {
  test('an intact chain verifies; a changed record is named', async ({ db }) => {
    const log = await fresh(db);
    for (let n = 1; n <= 5; n++) await log.record(entry(n));
    assert.deepEqual(await log.verify(), { ok: true, count: 5, lastHash: (await db('audit_head').first()).last_hash });
    const row = await db('audit_log').where({ id: 3 }).first();
    await db('audit_log').where({ id: 3 }).update({ entry: row.entry.replace('case.dispatch', 'case.close') });
    assert.deepEqual(await log.verify(), { ok: false, count: 2, brokenAt: 3, reason: 'content' });
    await db('audit_log').where({ id: 3 }).update({ entry: row.entry });
    assert.equal((await log.verify()).ok, true);
  });

  test('a removed record breaks the link of the next one, a removed last record the head', async ({ db }) => {
    const log = new AuditLog(db);
    const middle = await db('audit_log').where({ id: 2 }).first();
    await db('audit_log').where({ id: 2 }).delete();
    assert.deepEqual(await log.verify(), { ok: false, count: 1, brokenAt: 3, reason: 'link' });
    await db('audit_log').insert(middle);
    await db('audit_log').where({ id: 5 }).delete();
    assert.deepEqual(await log.verify(), { ok: false, count: 4, brokenAt: 5, reason: 'link' });
  });

  test('concurrent appends never fork the chain', async ({ db }) => {
    const log = await fresh(db);
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.record(entry(i))));
    assert.deepEqual((await log.verify()).ok, true);
    assert.deepEqual((await db('audit_log').orderBy('id').pluck('id')).map(Number), Array.from({ length: 20 }, (_, i) => i + 1));
  });

  test('retention keeps 184 days and the rest still verifies', async ({ db }) => {
    const log = await fresh(db);
    for (let n = 1; n <= 6; n++) await log.record(entry(n, `2026-0${n}-01T00:00:00.000Z`));
    await assert.rejects(log.prune(new Date('2026-05-01'), new Date('2026-09-01')), /184/);
    assert.equal(await log.prune(new Date('2026-04-01'), new Date('2026-12-31')), 3);
    assert.deepEqual({ ...(await log.verify()), lastHash: '' }, { ok: true, count: 3, lastHash: '' });
    assert.deepEqual((await log.search({ action: 'case.dispatch' })).map((r) => r.id), [6, 5, 4]);
  });

  test('publishing definitions is audited, and so is a refused publish', async ({ db }) => {
    const log = await fresh(db);
    const service = new DefinitionsService(db, () => new Date('2026-11-23T08:00:00Z'));
    await service.import(demoDistrictPackageDir, 'pz01');
    const copies = copyPackages();
    copies.edit(join(copies.district, 'manifest.yaml'), /version: .*/, 'version: 2026.4.0');
    copies.edit(join(copies.district, 'responsibilities.yaml'), /code: "D01"/, 'code: "D99"');
    await assert.rejects(service.import(copies.district, 'pz01'));
    const records = (await log.search({ action: 'definitions.publish' })).reverse();
    assert.deepEqual(records.map((r) => [r.actor.username, r.target.id, r.outcome]), [
      ['pz01', 'standard@2026.1.0', 'success'],
      ['pz01', 'demo-district@2026.1.0', 'success'],
      ['pz01', copies.district, 'failure'],
    ]);
    assert.equal((await log.verify()).ok, true);
  });
});
