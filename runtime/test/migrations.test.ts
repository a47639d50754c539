import assert from 'node:assert/strict';
import { loadMigrations } from '@gridflow/migrations';
import { migrateLatest, migrateRollback, migrateUp, migrationStatus } from '../src/db/migrate.ts';
import { describeEachDatabase } from './support/databases.ts';

const tables = ['definition_versions', 'definition_files', 'org_units', 'departments', 'roles', 'users', 'user_roles', 'user_grids', 'cases', 'tasks', 'task_candidates', 'incidents', 'worker_outcomes', 'audit_log', 'audit_head', 'sessions', 'sod_rules', 'sensitive_fields', 'case_parties', 'oidc_logins', 'attachments', 'form_submissions', 'intake_requests', 'case_tracking_codes', 'case_duplicates'];

describeEachDatabase('migrations', (test) => {
  test('apply, report, roll back and re-apply every migration', async ({ db }) => {
    const all = (await loadMigrations()).map((m) => m.name);
    assert.deepEqual((await migrationStatus(db)).pending, all, 'a fresh database has every migration pending');

    assert.deepEqual(await migrateLatest(db), all);
    for (const table of tables) assert.ok(await db.schema.hasTable(table), `${table} exists after migrate`);
    assert.ok(await db.schema.hasColumn('users', 'locked_until'), 'users carry their lockout state');
    assert.deepEqual(await migrationStatus(db), { applied: all, pending: [] });
    assert.deepEqual(await migrateLatest(db), [], 'migrate is idempotent');

    const reverted = await migrateRollback(db, true);
    assert.deepEqual([...reverted].sort(), [...all].sort());
    for (const table of tables) assert.equal(await db.schema.hasTable(table), false, `${table} is gone after rollback`);

    assert.deepEqual(await migrateLatest(db), all, 'migrations apply again after a full rollback');
  });

  test('each migration rolls back on its own (one batch at a time)', async ({ db }) => {
    await migrateRollback(db, true);
    const all = (await loadMigrations()).map((m) => m.name);
    for (const name of all) assert.deepEqual(await migrateUp(db), [name]);
    for (let i = all.length - 1; i >= 0; i--) {
      const reverted = await migrateRollback(db);
      assert.deepEqual(reverted, [all[i]]);
    }
    assert.deepEqual((await migrationStatus(db)).applied, []);
  });
});
