/** Register (台账) cells of the authorization matrix: record lists, objects, creation and import, judged by the oracle. */
import { computeIdCardCheck } from '@gridflow/engine';
import { call } from '../support/api-server.ts';
import type { ApiResponse, Credentials } from '../support/api-server.ts';
import { oracleAny, oracleRecord, RAW_ID_NUMBER } from './matrix-world.ts';
import type { Actor, FixtureRecord, World } from './matrix-world.ts';

/** Probes of register routes. */
export type RegisterProbe =
  | { kind: 'registers'; action: 'read'; path: string }
  | { kind: 'recordList'; path: string }
  | { kind: 'recordCreate'; path: string }
  | { kind: 'recordImport'; path: string }
  | { kind: 'recordObject'; action: 'read' | 'edit'; call: (r: FixtureRecord) => [string, string, unknown?] };

type Check = (ok: boolean, what: string) => void;
const passed = (r: ApiResponse) => ![401, 403, 404].includes(r.status);
let created = 0;

/** A new valid person in a grid. */
function person(grid: string) {
  const first17 = `37010219900101${String(500 + ++created).padStart(3, '0')}`;
  return { name: '矩阵测试', idNumber: first17 + computeIdCardCheck(first17), grid, category: '常住人口' };
}

/** Runs one register probe for one actor. */
export async function registerProbe(base: string, w: World, a: Actor, as: Credentials, probe: RegisterProbe, cell: string, check: Check): Promise<void> {
  const own = w.recordInScope.get(a.role) as FixtureRecord;
  if (probe.kind === 'registers') {
    const r = await call(base, 'GET', probe.path, { as });
    check(r.status === (oracleAny(a, 'read', 'RegisterRecord') ? 200 : 403), `${cell} → ${r.status}`);
  } else if (probe.kind === 'recordList') {
    const r = await call(base, 'GET', probe.path, { as });
    if (!oracleAny(a, 'read', 'RegisterRecord')) {
      check(r.status === 403, `${cell} → ${r.status}, expected 403`);
      return;
    }
    check(r.status === 200, `${cell} → ${r.status}, expected 200`);
    const items = (r.body?.items ?? []) as { id: string; values: { idNumber: string } }[];
    const seen = new Set(items.map((i) => i.id));
    for (const rec of w.records) {
      const expected = oracleRecord(a, 'read', rec);
      check(seen.has(rec.id) === expected, `${cell}: record in grid ${rec.grid} listed=${seen.has(rec.id)}, expected ${expected}`);
    }
    for (const item of items) {
      const rec = w.records.find((x) => x.id === item.id);
      if (!rec) continue;
      const clear = item.values.idNumber === RAW_ID_NUMBER;
      check(clear === oracleRecord(a, 'unmask', rec, 'idNumber'), `${cell}: ID number in clear=${clear}`);
    }
  } else if (probe.kind === 'recordCreate') {
    const r = await call(base, 'POST', probe.path, { as, body: { values: person(own.grid) } });
    const expected = oracleRecord(a, 'edit', own);
    check(expected ? r.status === 200 : [403, 404].includes(r.status), `${cell} → ${r.status}, expected ${expected ? 200 : 'denied'}`);
  } else if (probe.kind === 'recordImport') {
    const r = await call(base, 'POST', probe.path, { as, raw: Buffer.from('姓名,身份证号,所属网格,人员类别\r\n') });
    const expected = oracleAny(a, 'import', 'RegisterRecord');
    check(expected ? passed(r) : [403, 404].includes(r.status), `${cell} → ${r.status}, expected ${expected ? 'allowed' : 'denied'}`);
  } else {
    for (const [label, rec] of [['in scope', own], ['out of scope', w.recordOutOfScope]] as const) {
      const [method, path, body] = probe.call(rec);
      const r = await call(base, method, path, { as, ...(body !== undefined ? { body } : {}) });
      const expected = oracleRecord(a, probe.action, rec);
      const denial = !oracleAny(a, probe.action, 'RegisterRecord') ? 403 : oracleRecord(a, 'read', rec) ? 403 : 404;
      check(expected ? passed(r) : r.status === denial, `${cell} ${label} → ${r.status}, expected ${expected ? 'allowed' : denial}`);
      if (r.status === 200 && probe.action === 'read' && r.body?.values) {
        const clear = r.body.values.idNumber === RAW_ID_NUMBER;
        check(clear === oracleRecord(a, 'unmask', rec, 'idNumber'), `${cell} ${label}: ID number in clear=${clear}`);
      }
    }
  }
}
