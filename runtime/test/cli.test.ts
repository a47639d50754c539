import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { copyPackages } from './support/package-copies.ts';
import { verify } from '@node-rs/argon2';
import { openDatabase } from '../src/db/connection.ts';

const bin = fileURLToPath(new URL('../bin/gridflow.mjs', import.meta.url));

function gridflow(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    input: input ?? '',
    env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'gridflow-cli-')), GRIDFLOW_LANG: 'zh-CN', ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, 'no stack trace for a user mistake');

describe('gridflow CLI', () => {
  it('validate lists every problem with file and line and exits 1', () => {
    const copies = copyPackages();
    copies.edit(join(copies.district, 'responsibilities.yaml'), /code: "D01"/, 'code: "D99"');
    copies.edit(join(copies.district, 'users.yaml'), 'roles: [grid-worker]', 'roles: [grid-wroker]');
    copies.edit(join(copies.district, 'org/units.yaml'), /level: street/, 'level: town');
    const { code, err } = gridflow(['definitions', 'validate', copies.district]);
    assert.equal(code, 1);
    const lines = err.trim().split('\n');
    assert.match(lines.find((l) => l.includes('responsibilities.yaml')) ?? '', /responsibilities\.yaml:\d+:\d+ .*部门“D99”不存在/);
    assert.match(lines.find((l) => l.includes('users.yaml')) ?? '', /users\.yaml:\d+:\d+ .*角色“grid-wroker”不存在/);
    assert.match(lines.find((l) => l.includes('units.yaml')) ?? '', /units\.yaml:\d+:\d+ .*取值无效/);
    assert.equal(lines.at(-1), '3 个错误，0 个警告');
    noStack(err);
  });

  it('speaks English when asked', () => {
    const copies = copyPackages();
    copies.edit(join(copies.district, 'responsibilities.yaml'), /code: "D01"/, 'code: "D99"');
    const { code, err } = gridflow(['definitions', 'validate', copies.district], { GRIDFLOW_LANG: 'en' });
    assert.equal(code, 1);
    assert.match(err, /Department "D99" does not exist/);
    assert.match(err, /1 error\(s\), 0 warning\(s\)/);
  });

  it('validate accepts the demo district', () => {
    const { code, out } = gridflow(['definitions', 'validate', demoDistrictPackageDir]);
    assert.equal(code, 0);
    assert.match(out, /配置包有效：demo-district@2026\.1\.0/);
  });

  it('names an unreachable database without its password and says what to check', () => {
    const { code, err } = gridflow(['db', 'status'], { DATABASE_URL: 'mysql://gridflow:TopSecret1@127.0.0.1:1/gridflow' });
    assert.equal(code, 2);
    assert.match(err, /无法连接数据库 mysql:\/\/gridflow:\*\*\*@127\.0\.0\.1:1\/gridflow/);
    assert.match(err, /请检查/);
    assert.doesNotMatch(err, /TopSecret1/);
    noStack(err);
  });

  it('import, list, export and diff on the embedded database', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-cli-'));
    const env = { DATA_DIR: dataDir };
    const imported = gridflow(['definitions', 'import', demoDistrictPackageDir, '--by', 'cli-test'], env);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /已发布 standard@2026\.1\.0\n已发布 demo-district@2026\.1\.0/);
    const again = gridflow(['definitions', 'import', demoDistrictPackageDir], env);
    assert.match(again.out, /demo-district@2026\.1\.0 内容未变/);
    const list = gridflow(['definitions', 'list'], env);
    assert.match(list.out, /\* demo-district@2026\.1\.0 .*← standard@2026\.1\.0/);
    const target = join(dataDir, 'export.zip');
    assert.equal(gridflow(['definitions', 'export', 'demo-district@2026.1.0', target], env).code, 0);
    const diff = gridflow(['definitions', 'diff', 'demo-district@2026.1.0', 'demo-district@2026.1.0'], env);
    assert.match(diff.out, /两个版本内容相同/);
    const status = gridflow(['db', 'status'], env);
    assert.match(status.out, /✔ \d{14}_definitions/);
    const verify = gridflow(['audit', 'verify'], env);
    assert.equal(verify.code, 0);
    assert.equal(verify.out.trim(), '审计链完整：共 2 条记录');
    const csv = gridflow(['audit', 'list', '--csv'], env);
    assert.match(csv.out, /^id,occurredAt,actor,/);
    assert.match(csv.out, /definitions\.publish,definitions,demo-district@2026\.1\.0,success/);
    const incidents = gridflow(['incidents'], env);
    assert.equal(incidents.out.trim(), '没有异常');
    const missing = gridflow(['definitions', 'export', 'demo-district@9.9.9', target], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /未发布的配置版本：demo-district@9\.9\.9/);
  });

  it('users set-password enforces the 等保 policy, stores argon2id and audits the change', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-cli-'));
    const env = { DATA_DIR: dataDir };
    assert.equal(gridflow(['definitions', 'import', demoDistrictPackageDir], env).code, 0);
    const weak = gridflow(['users', 'set-password', 'wgy001'], env, 'wgy001abc\n');
    assert.equal(weak.code, 1);
    assert.match(weak.err, /密码不符合密码策略/);
    assert.match(weak.err, /password.*至少 3 类/);
    assert.match(weak.err, /密码不能包含用户名/);
    noStack(weak.err);
    const unknown = gridflow(['users', 'set-password', 'nobody'], env, 'Strong#Pass2026\n');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /用户不存在：nobody/);
    const ok = gridflow(['users', 'set-password', 'wgy001'], env, 'Strong#Pass2026\n');
    assert.equal(ok.code, 0, ok.err);
    const db = openDatabase(`sqlite:${join(dataDir, 'gridflow.db')}`);
    try {
      const user = await db('users').where({ username: 'wgy001' }).first();
      assert.match(user.password_hash, /^\$argon2id\$/);
      assert.equal(await verify(user.password_hash, 'Strong#Pass2026'), true);
      assert.ok(user.must_change_password, 'a set password must be changed at the next sign-in');
    } finally {
      await db.destroy();
    }
    const audit = gridflow(['audit', 'list', '--action', 'user.setPassword', '--csv'], env);
    assert.match(audit.out, /user\.setPassword,user,wgy001,success/);
    assert.doesNotMatch(audit.out, /Strong#Pass2026/);
  });
});
