import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { DefinitionsService, PackageInvalidError } from '../src/definitions/definitions.service.ts';
import { migrateLatest, migrateRollback } from '../src/db/migrate.ts';
import { describeEachDatabase } from './support/databases.ts';
import { copyPackages } from './support/package-copies.ts';

const fixedClock = () => new Date('2026-11-23T08:00:00Z');

async function freshService(db: Knex): Promise<DefinitionsService> {
  await migrateRollback(db, true);
  await migrateLatest(db);
  return new DefinitionsService(db, fixedClock);
}

async function counts(db: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['definition_versions', 'definition_files', 'org_units', 'departments', 'roles', 'users', 'user_roles', 'user_grids']) {
    const [row] = await db(table).count({ n: '*' });
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}

/** Every file under a folder with its bytes, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return out;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'gridflow-export-'));

describeEachDatabase('definitions import and export', (test) => {
  test('importing the demo district publishes it with its base and loads org and people', async ({ db }) => {
    const service = await freshService(db);
    const { outcomes } = await service.import(demoDistrictPackageDir, 'tester');
    assert.deepEqual(outcomes.map((o) => `${o.key}@${o.version}:${o.status}`), ['standard@2026.1.0:published', 'demo-district@2026.1.0:published']);
    const levels = Object.fromEntries((await db('org_units').groupBy('level').select('level').count({ n: '*' }) as { level: string; n: number }[]).map((r) => [r.level, Number(r.n)]));
    assert.ok(levels.street! >= 4 && levels.community! >= 12 && levels.grid! >= 60, JSON.stringify(levels));
    assert.ok(Number((await db('departments').count({ n: '*' }))[0]?.n) >= 20);
    const grid = await db('org_units').where({ level: 'grid' }).whereNotNull('boundary').first();
    assert.ok(grid && grid.min_lon < grid.max_lon, 'grids carry boundaries and their bounding boxes');
    const worker = await db('users').where({ username: 'wgy001' }).first();
    assert.equal(worker.source, 'definitions');
    assert.deepEqual(await db('user_roles').where({ user_id: worker.id }).pluck('role_code'), ['grid-worker']);
    assert.deepEqual(await db('user_grids').where({ user_id: worker.id }).pluck('grid_code'), [worker.org_unit_code]);
    const list = await service.list();
    assert.deepEqual(list.map((v) => [v.key, v.active, v.publishedBy]), [['demo-district', true, 'tester'], ['standard', true, 'tester']]);
  });

  test('importing the same content again changes nothing', async ({ db }) => {
    const service = new DefinitionsService(db, fixedClock);
    const before = await counts(db);
    const { outcomes } = await service.import(demoDistrictPackageDir);
    assert.deepEqual(outcomes.map((o) => o.status), ['unchanged']);
    assert.deepEqual(await counts(db), before);
  });

  test('different content under a published version is refused and changes nothing', async ({ db }) => {
    const service = new DefinitionsService(db, fixedClock);
    const copies = copyPackages();
    copies.edit(join(copies.district, 'departments.yaml'), '区综合行政执法局', '区城市管理综合执法局');
    const before = await counts(db);
    await assert.rejects(service.import(copies.district), (e: unknown) => e instanceof UserError && e.code === 'definitions.versionConflict');
    assert.deepEqual(await counts(db), before);
    assert.equal((await db('departments').where({ code: 'D01' }).first()).name, '区综合行政执法局');
  });

  test('a failure after the base was written rolls the base back too', async ({ db }) => {
    const service = new DefinitionsService(db, fixedClock);
    const copies = copyPackages();
    // A new standard version (publishable) that changes the district's resolved content, under the
    // district's already published version: the standard is written first, then the district fails.
    copies.edit(join(copies.standard, 'manifest.yaml'), /version: .*/, 'version: 2026.2.0');
    copies.edit(join(copies.standard, 'catalogue.yaml'), '私搭乱建', '违法建设');
    copies.edit(join(copies.district, 'manifest.yaml'), 'standard@2026.1.0', 'standard@2026.2.0');
    const before = await counts(db);
    await assert.rejects(service.import(copies.district), (e: unknown) => e instanceof UserError && e.code === 'definitions.versionConflict');
    assert.deepEqual(await counts(db), before);
    assert.equal(await db('definition_versions').where({ package_key: 'standard', version: '2026.2.0' }).first(), undefined);
  });

  test('an invalid package reports every problem and writes nothing', async ({ db }) => {
    const service = new DefinitionsService(db, fixedClock);
    const copies = copyPackages();
    copies.edit(join(copies.district, 'manifest.yaml'), /version: .*/, 'version: 2026.3.0');
    copies.edit(join(copies.district, 'responsibilities.yaml'), /code: "D01"/, 'code: "D99"');
    copies.edit(join(copies.district, 'users.yaml'), 'roles: [grid-worker]', 'roles: [grid-wroker]');
    const before = await counts(db);
    await assert.rejects(service.import(copies.district), (e: unknown) => {
      assert.ok(e instanceof PackageInvalidError);
      const codes = e.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}@${p.file.split('/').pop()}`);
      assert.deepEqual(codes, ['ref.department@responsibilities.yaml', 'ref.role@users.yaml']);
      return true;
    });
    assert.deepEqual(await counts(db), before);
  });

  test('export → import → export is byte-identical, as a folder and as a zip', async ({ db }) => {
    const service = new DefinitionsService(db, fixedClock);
    const first = tmp();
    await service.export('demo-district@2026.1.0', first);
    const { outcomes } = await service.import(first);
    assert.deepEqual(outcomes.map((o) => o.status), ['unchanged'], 'the export is the same content as the published version');
    const second = tmp();
    await service.export('demo-district@2026.1.0', second);
    assert.deepEqual(snapshot(second), snapshot(first));

    const zipA = join(tmp(), 'a.zip');
    const zipB = join(tmp(), 'b.zip');
    await service.export('demo-district@2026.1.0', zipA);
    assert.deepEqual((await service.import(zipA)).outcomes.map((o) => o.status), ['unchanged']);
    await service.export('demo-district@2026.1.0', zipB);
    assert.ok(readFileSync(zipA).equals(readFileSync(zipB)));
  });

  test('a new version deactivates what it dropped, and diff lists the changes', async ({ db }) => {
    const service = new DefinitionsService(db, fixedClock);
    const copies = copyPackages();
    const grid = '370102004004006';
    copies.edit(join(copies.district, 'manifest.yaml'), /version: .*/, 'version: 2026.2.0');
    copies.edit(join(copies.district, 'org/units.yaml'), new RegExp(`  - code: "${grid}"\\n(    .*\\n)*`), '');
    const boundariesFile = join(copies.district, 'org/boundaries.geojson');
    const boundaries = JSON.parse(readFileSync(boundariesFile, 'utf8')) as { features: { properties: { code: string } }[] };
    boundaries.features = boundaries.features.filter((f) => f.properties.code !== grid);
    writeFileSync(boundariesFile, JSON.stringify(boundaries));
    copies.edit(join(copies.district, 'users.yaml'), / {2}- username: wgy005\n( {4}.*\n)*/, '');
    copies.edit(join(copies.district, 'departments.yaml'), '区综合行政执法局', '区城市管理综合执法局');

    const { outcomes } = await service.import(copies.district);
    assert.deepEqual(outcomes.map((o) => `${o.key}@${o.version}:${o.status}`), ['demo-district@2026.2.0:published']);
    assert.ok(!(await db('org_units').where({ code: grid }).first()).active, 'the dropped grid is inactive');
    assert.equal((await db('users').where({ username: 'wgy005' }).first()).status, 'disabled');
    assert.equal((await db('departments').where({ code: 'D01' }).first()).name, '区城市管理综合执法局');

    const diff = await service.diff('demo-district@2026.1.0', 'demo-district@2026.2.0');
    const find = (collection: string) => diff.collections.find((c) => c.collection === collection);
    assert.deepEqual(find('units')?.removed, [grid]);
    assert.deepEqual(find('features')?.removed, [grid]);
    assert.deepEqual(find('users')?.removed, ['wgy005']);
    assert.deepEqual(find('departments')?.changed, [{ key: 'D01', fields: ['name'] }]);
    assert.equal(diff.collections.length, 4, JSON.stringify(diff.collections));
    const [active] = (await service.list()).filter((v) => v.key === 'demo-district' && v.active);
    assert.equal(active?.version, '2026.2.0');
  });
});
