import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/gridflow.mjs', import.meta.url));

describe('gridflow demo (the Quick start)', () => {
  it('loads the demo district, serves it and prints the URL and one login per role', async () => {
    const child = spawn(process.execPath, [bin, 'demo'], {
      env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'gridflow-demo-')), PORT: '0', GRIDFLOW_LANG: 'zh-CN' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /访问地址：(http:\/\/\S+)/.exec(out);
          if (m?.[1] && out.includes('按 Ctrl+C 停止')) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${err}`)));
      });
      assert.match(out, /流程引擎：operaton http:\/\/127\.0\.0\.1:\d+/);
      for (const username of ['wgy001', 'sqgzry01', 'jddd01', 'qddd01', 'bmcz01', 'ld01', 'sm01', 'rx01', 'sj01', 'admin', 'pz01']) {
        assert.match(out, new RegExp(`^  ${username} `, 'm'), `login ${username} printed`);
      }
      assert.match(out, /演示账号（密码均为 \S+）/);

      const health = await fetch(new URL('/api/health', url));
      assert.deepEqual(await health.json(), { status: 'ok', engine: 'up' });
      const home = await (await fetch(url)).text();
      assert.match(home, /示范区/);
      assert.equal((await fetch(new URL('/api/org/units', url))).status, 401, 'the API needs a signed-in user');
      const password = /演示账号（密码均为 (\S+)）/.exec(out)?.[1] ?? '';
      const login = await fetch(new URL('/api/auth/login', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jddd01', password, mode: 'bearer' }) });
      assert.equal(login.status, 200, 'a printed login works');
      const headers = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
      const top = await (await fetch(new URL('/api/org/units', url), { headers })).json() as { units: { code: string; level: string }[] };
      assert.deepEqual(top.units.map((u) => u.level), ['district']);
      const streets = await (await fetch(new URL(`/api/org/units?parent=${top.units[0]?.code}`, url), { headers })).json() as { units: unknown[] };
      assert.ok(streets.units.length >= 4);
      const bad = await fetch(new URL('/api/org/units?parent=x;drop', url), { headers: { ...headers, 'accept-language': 'en' } });
      assert.equal(bad.status, 400);
      const error = ((await bad.json()) as { error: { message: string; details: { target: string; message: string }[] } }).error;
      assert.equal(error.message, 'The request is not valid');
      assert.deepEqual(error.details, [{ target: '/query/parent', message: 'Has the wrong format' }]);
      const missing = await fetch(new URL('/api/nothing', url));
      assert.equal(missing.status, 404);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
