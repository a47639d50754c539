import assert from 'node:assert/strict';
import { computeIdCardCheck } from '@gridflow/engine';
import { describeEachDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

const GRID_1 = '370102002001001'; // wgy001, community 370102002001 (sqgzry01), street 370102002 (jddd01)
const GRID_2 = '370102002001002'; // wgy002, same community
const OTHER_STREET_GRID = '370102004001002'; // wgy010

let serial = 0;
/** A valid ID card number, different each call. */
function idNumber(): string {
  serial++;
  const first17 = `37010219${String(60 + (serial % 40)).padStart(2, '0')}0101${String(serial).padStart(3, '0')}`.slice(0, 17);
  return first17 + computeIdCardCheck(first17);
}

const person = (overrides: Record<string, unknown> = {}) => ({
  name: '李秀英', idNumber: idNumber(), phone: '13953100123', grid: GRID_1, sex: '女', category: '常住人口', registered: true, address: '历下区解放路 12 号 3 单元 201', ...overrides,
});

interface World {
  server: ApiServer;
  as: Record<string, Credentials>;
  close(): Promise<void>;
}

async function world(t: TestDatabase, users: string[]): Promise<World> {
  await prepareDemoDatabase(t.db);
  const server = await startApiServer(t.db);
  const as: Record<string, Credentials> = {};
  for (const u of users) as[u] = await signIn(server.url, u);
  return { server, as, close: () => server.close() };
}

describeEachDatabase('registers (台账)', (test) => {
  test('each role sees the registers it may use, and what it may do with them', async (t) => {
    const w = await world(t, ['wgy001', 'sqgzry01', 'ld01', 'sj01', 'bmcz01']);
    try {
      const worker = await call(w.server.url, 'GET', '/api/registers', { as: w.as.wgy001 });
      assert.equal(worker.status, 200);
      const pop = worker.body.items.find((r: { code: string }) => r.code === 'population');
      assert.deepEqual({ ...pop, formVersion: undefined }, { code: 'population', name: '实有人口', formKey: 'population', formVersion: undefined, mayEdit: true, mayImport: false });
      const staff = await call(w.server.url, 'GET', '/api/registers', { as: w.as.sqgzry01 });
      assert.equal(staff.body.items.find((r: { code: string }) => r.code === 'house').mayImport, true, 'community staff import registers');
      const leader = await call(w.server.url, 'GET', '/api/registers', { as: w.as.ld01 });
      assert.deepEqual(leader.body.items.map((r: { code: string }) => r.code).sort(), ['house', 'population']);
      assert.equal((await call(w.server.url, 'GET', '/api/registers', { as: w.as.sj01 })).status, 403, 'the auditor has no business with registers');
      assert.equal((await call(w.server.url, 'GET', '/api/registers/population', { as: w.as.bmcz01 })).status, 403);
      const form = await call(w.server.url, 'GET', '/api/registers/population', { as: w.as.wgy001 });
      assert.equal(form.body.access.verifiedBy, 'readOnly');
      assert.equal(form.body.access.idNumber, 'required');
      assert.equal(form.body.relations[0].target, 'house');
      assert.equal(form.body.form.schema['x-field-rules'], undefined, 'the rule matrix stays on the server');
      assert.equal((await call(w.server.url, 'GET', '/api/registers/nope', { as: w.as.wgy001 })).status, 404);
    } finally {
      await w.close();
    }
  });

  test('records are kept inside the writer\'s scope, validated by the form, masked for roles without unmask, and audited', async (t) => {
    const w = await world(t, ['wgy001', 'wgy010', 'jddd01']);
    try {
      const values = person();
      const created = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values } });
      assert.equal(created.status, 200, created.text);
      assert.equal(created.body.values.idNumber, values.idNumber, 'the grid worker sees their own grid\'s residents in clear');
      assert.equal(created.body.version, 1);
      const id = created.body.id as string;
      const audit = await t.db('audit_log').where({ action: 'register.create', target_id: id }).first();
      assert.ok(audit, 'creation is audited');
      assert.ok(await t.db('audit_log').where({ action: 'personalData.read', target_id: id }).first(), 'the clear read is audited');

      const dispatcher = await call(w.server.url, 'GET', `/api/registers/population/records/${id}`, { as: w.as.jddd01 });
      assert.equal(dispatcher.status, 200);
      assert.match(dispatcher.body.values.idNumber, /^3701\*+\d{3}[\dX]$|\*/);
      assert.notEqual(dispatcher.body.values.idNumber, values.idNumber);
      assert.equal(dispatcher.body.values.phone, '139****0123');
      assert.equal(dispatcher.body.title, '李**');
      assert.equal((await call(w.server.url, 'GET', `/api/registers/population/records/${id}`, { as: w.as.wgy010 })).status, 404, 'another street\'s worker cannot see it');
      assert.equal((await call(w.server.url, 'PUT', `/api/registers/population/records/${id}`, { as: w.as.jddd01, body: { version: 1, values: { phone: '13953100999' } } })).status, 403);

      const outside = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values: person({ grid: GRID_2 }) } });
      assert.equal(outside.status, 403);
      assert.equal(outside.body.error.details[0].target, '/body/values/grid');
      const unknown = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values: person({ grid: '370102002001999' }) } });
      assert.equal(unknown.status, 422);
      assert.match(unknown.body.error.message, /370102002001999/);
      const bad = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values: person({ idNumber: '370102196001010011', category: '流动人口' }) } });
      assert.equal(bad.status, 422);
      const targets = bad.body.error.details.map((d: { target: string }) => d.target).sort();
      assert.deepEqual(targets, ['/body/values/idNumber', '/body/values/inflowReason'], 'a bad checksum and the conditionally required field are both reported');
      const twice = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values: { ...person(), idNumber: values.idNumber.toLowerCase() } } });
      assert.equal(twice.status, 409, 'the same ID number twice is refused');
      assert.equal(await t.db('register_records').where({ register: 'population', grid_code: GRID_2 }).first(), undefined, 'refused writes change nothing');
    } finally {
      await w.close();
    }
  });

  test('edits name the version they edit, refuse read-only fields, and leave a history field by field', async (t) => {
    const w = await world(t, ['wgy001', 'sqgzry01', 'jddd01']);
    try {
      const created = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values: person({ name: '王建国', phone: '13953100777' }) } });
      const id = created.body.id as string;
      const edited = await call(w.server.url, 'PUT', `/api/registers/population/records/${id}`, { as: w.as.wgy001, body: { version: 1, values: { phone: '13953100888', category: '流动人口', inflowReason: '务工' } } });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.version, 2);
      const stale = await call(w.server.url, 'PUT', `/api/registers/population/records/${id}`, { as: w.as.sqgzry01, body: { version: 1, values: { phone: '13953100999' } } });
      assert.equal(stale.status, 409, 'an edit of an old version is refused');
      const readOnly = await call(w.server.url, 'PUT', `/api/registers/population/records/${id}`, { as: w.as.wgy001, body: { version: 2, values: { verifiedBy: '自己' } } });
      assert.equal(readOnly.status, 422);
      assert.equal(readOnly.body.error.details[0].target, '/body/values/verifiedBy');
      const cleared = await call(w.server.url, 'PUT', `/api/registers/population/records/${id}`, { as: w.as.wgy001, body: { version: 2, values: { category: '常住人口', inflowReason: null } } });
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal(cleared.body.values.inflowReason, undefined, 'null clears a field');

      const history = await call(w.server.url, 'GET', `/api/registers/population/records/${id}/history`, { as: w.as.sqgzry01 });
      assert.equal(history.status, 200);
      const versions = history.body.items.filter((e: { version: number | null }) => e.version !== null);
      assert.deepEqual(versions.map((e: { change: string }) => e.change), ['created', 'updated', 'updated']);
      const second = versions[1].changes.map((c: { field: string; before: unknown; after: unknown }) => [c.field, c.before, c.after]);
      assert.deepEqual(second, [['phone', '13953100777', '13953100888'], ['category', '常住人口', '流动人口'], ['inflowReason', null, '务工']]);
      assert.equal(versions[1].by.username, 'wgy001');
      const masked = await call(w.server.url, 'GET', `/api/registers/population/records/${id}/history`, { as: w.as.jddd01 });
      assert.equal(masked.body.items[1].changes[0].after, '139****0888', 'history masks personal data like the record does');
      const archived = await call(w.server.url, 'POST', `/api/registers/population/records/${id}/archive`, { as: w.as.sqgzry01, body: { version: 3, reason: '已迁出' } });
      assert.equal(archived.body.status, 'archived');
      const list = await call(w.server.url, 'GET', `/api/registers/population/records?status=archived&q=${encodeURIComponent('王建')}`, { as: w.as.sqgzry01 });
      assert.deepEqual(list.body.items.map((r: { id: string }) => r.id), [id]);
    } finally {
      await w.close();
    }
  });

  test('lists search by name prefix and ID number and filter by declared fields, all within scope', async (t) => {
    const w = await world(t, ['wgy002', 'sqgzry01', 'wgy001']);
    try {
      const flowing = person({ grid: GRID_2, name: '赵流动', category: '流动人口', inflowReason: '经商', registered: false });
      const local = person({ grid: GRID_2, name: '赵常住' });
      for (const values of [flowing, local]) assert.equal((await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy002, body: { values } })).status, 200);
      const base = '/api/registers/population/records';
      const names = async (query: string, as = w.as.sqgzry01) => ((await call(w.server.url, 'GET', `${base}?${query}`, { as })).body.items as { title: string }[]).map((r) => r.title).sort();
      assert.deepEqual(await names(`q=${encodeURIComponent('赵')}`), ['赵常住', '赵流动']);
      assert.deepEqual(await names(`q=${encodeURIComponent('赵')}&filter=${encodeURIComponent('category:流动人口')}`), ['赵流动']);
      assert.deepEqual(await names(`q=${encodeURIComponent('赵')}&filter=registered:true`), ['赵常住']);
      assert.deepEqual(await names(`identity=${flowing.idNumber}`), ['赵流动']);
      assert.deepEqual(await names(`q=${encodeURIComponent('赵')}`, w.as.wgy001), [], 'another grid\'s worker does not see them');
      const refused = await call(w.server.url, 'GET', `${base}?filter=idNumber:1`, { as: w.as.sqgzry01 });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.details[0].target, '/query/filter/0');
    } finally {
      await w.close();
    }
  });

  test('people are linked to houses (人房关联) and both sides see the link under their own name', async (t) => {
    const w = await world(t, ['wgy001', 'wgy010', 'jddd01']);
    try {
      const house = await call(w.server.url, 'POST', '/api/registers/house/records', {
        as: w.as.wgy001, body: { values: { houseCode: `H-${Date.now()}`, address: '历下区解放路 12 号 3 单元 201', grid: GRID_1, usage: '出租', tenantCount: 2, ownerName: '周产权' } },
      });
      assert.equal(house.status, 200, house.text);
      const resident = await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.wgy001, body: { values: person({ name: '钱租户' }) } });
      const links = `/api/registers/population/records/${resident.body.id}/links`;
      const badKind = await call(w.server.url, 'POST', links, { as: w.as.wgy001, body: { relation: 'residence', target: house.body.id, kind: '朋友' } });
      assert.equal(badKind.status, 400);
      assert.equal(badKind.body.error.details[0].target, '/body/kind');
      const linked = await call(w.server.url, 'POST', links, { as: w.as.wgy001, body: { relation: 'residence', target: house.body.id, kind: '租住' } });
      assert.equal(linked.status, 200, linked.text);
      assert.deepEqual(linked.body.items.map((l: { name: string; kind: string; direction: string }) => [l.name, l.kind, l.direction]), [['居住房屋', '租住', 'outgoing']]);
      assert.equal((await call(w.server.url, 'POST', links, { as: w.as.wgy001, body: { relation: 'residence', target: house.body.id, kind: '租住' } })).status, 409);
      const fromHouse = await call(w.server.url, 'GET', `/api/registers/house/records/${house.body.id}/links`, { as: w.as.jddd01 });
      assert.deepEqual(fromHouse.body.items.map((l: { name: string; record: { title: string } }) => [l.name, l.record.title]), [['居住人员', '钱**']]);
      const otherHouse = await call(w.server.url, 'POST', '/api/registers/house/records', {
        as: w.as.wgy010, body: { values: { houseCode: `X-${Date.now()}`, address: '历下区泉城路 8 号', grid: OTHER_STREET_GRID, usage: '自住' } },
      });
      assert.equal(otherHouse.status, 200, otherHouse.text);
      assert.equal((await call(w.server.url, 'POST', links, { as: w.as.wgy001, body: { relation: 'residence', target: otherHouse.body.id, kind: '户主' } })).status, 404, 'a house out of scope cannot be linked');
      const unlinked = await call(w.server.url, 'DELETE', `${links}/${linked.body.items[0].id}`, { as: w.as.wgy001 });
      assert.deepEqual(unlinked.body.items, []);
      const history = await call(w.server.url, 'GET', `/api/registers/house/records/${house.body.id}/history`, { as: w.as.wgy001 });
      assert.deepEqual(history.body.items.map((e: { change: string }) => e.change), ['created', 'linked', 'unlinked']);
    } finally {
      await w.close();
    }
  });

  test('an import reports every bad row (format, scope, repeats, records already kept) and imports nothing until the file is clean', async (t) => {
    const w = await world(t, ['sqgzry01', 'wgy001']);
    try {
      const existing = person({ grid: GRID_2, name: '孙已有' });
      assert.equal((await call(w.server.url, 'POST', '/api/registers/population/records', { as: w.as.sqgzry01, body: { values: existing } })).status, 200);
      const header = '姓名,身份证号,联系电话,所属网格,性别,人员类别,流入原因,居住地址';
      const rows = Array.from({ length: 200 }, (_, i) => [`导入${i}`, idNumber(), `139${String(i).padStart(8, '0')}`, i % 2 ? GRID_1 : GRID_2, '男', '常住人口', '', `解放路 ${i} 号`]);
      const bad = rows.map((r) => [...r]);
      (bad[9] as string[])[1] = '370102196001010011'; // row 11: bad checksum
      (bad[49] as string[])[3] = OTHER_STREET_GRID; // row 51: outside the community
      (bad[99] as string[])[5] = '流动人口'; // row 101: inflow reason missing
      (bad[149] as string[])[1] = (bad[3] as string[])[1] as string; // row 151: repeats row 5
      const csv = (data: string[][]) => Buffer.from(`${header}\r\n${data.map((r) => r.join(',')).join('\r\n')}\r\n`);
      const before = Number((await t.db('register_records').where({ register: 'population' }).count({ n: '*' }))[0]?.n);
      const refused = await call(w.server.url, 'POST', '/api/registers/population/import?name=people.csv', { as: w.as.sqgzry01, raw: csv(bad) });
      assert.equal(refused.status, 422);
      assert.deepEqual([...new Set(refused.body.problems.map((p: { row: number }) => p.row))], [11, 51, 101, 151]);
      assert.match(refused.body.problems[1].message['zh-CN'], /^第 51 行“所属网格”：网格“370102004001002”不在您的管辖范围内/);
      assert.equal(Number((await t.db('register_records').where({ register: 'population' }).count({ n: '*' }))[0]?.n), before, 'nothing imported');

      const withKnown = rows.map((r) => [...r]);
      (withKnown[0] as string[])[1] = existing.idNumber;
      const known = await call(w.server.url, 'POST', '/api/registers/population/import?name=people.csv', { as: w.as.sqgzry01, raw: csv(withKnown) });
      assert.equal(known.status, 422);
      assert.deepEqual(known.body.problems.map((p: { row: number; column: string }) => [p.row, p.column]), [[2, '身份证号']]);

      const dry = await call(w.server.url, 'POST', '/api/registers/population/import?name=people.csv&dryRun=true', { as: w.as.sqgzry01, raw: csv(rows) });
      assert.deepEqual([dry.status, dry.body.imported, dry.body.rowCount], [200, 0, 200]);
      const done = await call(w.server.url, 'POST', '/api/registers/population/import?name=people.csv', { as: w.as.sqgzry01, raw: csv(rows) });
      assert.deepEqual([done.status, done.body.imported], [200, 200], done.text);
      assert.equal(Number((await t.db('register_record_versions').where({ import_id: done.body.importId }).count({ n: '*' }))[0]?.n), 200);
      assert.ok(await t.db('audit_log').where({ action: 'register.import' }).first());
      assert.equal((await call(w.server.url, 'POST', '/api/registers/population/import?name=people.csv', { as: w.as.wgy001, raw: csv(rows) })).status, 403, 'grid workers do not import');
    } finally {
      await w.close();
    }
  });
});
