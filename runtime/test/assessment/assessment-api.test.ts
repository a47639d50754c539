/**
 * The assessment API over a fixed history written by GridFlow's writers (assessment-stories.ts):
 * every count of every unit reconciles with a count of the hand-written ledgers; units are scoped to
 * the user; explanations list the cases; CSV and Excel exports carry the same figures and are
 * audited; bad queries are refused naming the parameter.
 */
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { after } from 'node:test';
import { countNames, indicatorCodes } from '@gridflow/engine';
import { assessmentIndicatorCodes } from '../../src/contracts/index.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { call } from '../support/api-server.ts';
import type { ApiResponse } from '../support/api-server.ts';
import { GRIDS } from './assessment-world.ts';
import { PERIOD, closeStoryWorld, countLedgers, storyWorld } from './assessment-stories.ts';
import type { Knex } from 'knex';

const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
const targets = (r: ApiResponse): string[] => ((r.body?.error?.details ?? []) as { target: string }[]).map((d) => d.target);
type UnitBody = { unit: string; name: string | null; counts: Record<string, number>; indicators: { code: string; numerator: number; denominator: number; rate: number | null }[]; score: number | null; grade: string | null };

async function get(db: Knex, username: string, path: string): Promise<ApiResponse> {
  const { world } = await storyWorld(db);
  return call(world.server.url, 'GET', path, { as: await world.as(username) });
}

/** Every count of a unit (zeros included) from the ledger counter. */
function expectedCounts(expected: Map<string, Record<string, number>>, unit: string): Record<string, number> {
  const own = expected.get(unit) ?? {};
  return Object.fromEntries(countNames.map((name) => [name, own[name] ?? 0]));
}

const dbs: Knex[] = [];
after(async () => {
  for (const db of dbs) await closeStoryWorld(db);
});

describeEachDatabase('assessment API over the case timeline', (test) => {
  test('the district leader sees every unit of each kind, and every count reconciles with the ledgers', async ({ db }) => {
    dbs.push(db);
    const { world } = await storyWorld(db);
    for (const unitKind of ['department', 'street', 'community', 'grid', 'gridWorker'] as const) {
      const r = await get(db, 'ld01', `/api/assessment${query({ ...PERIOD, unitKind })}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.skippedCases, 0);
      const expected = countLedgers(unitKind);
      const listed = new Map((r.body.units as UnitBody[]).map((u) => [u.unit, u]));
      for (const unit of expected.keys()) {
        // Community-level handling is counted under the community's code, which is no department.
        if (unitKind === 'department' && !unit.startsWith('D')) continue;
        assert.ok(listed.has(unit), `${unitKind} ${unit} is listed`);
      }
      for (const u of listed.values()) {
        assert.deepEqual(u.counts, expectedCounts(expected, u.unit), `counts of ${unitKind} ${u.unit}`);
        for (const v of u.indicators) assert.equal(v.rate, v.denominator === 0 ? null : v.numerator / v.denominator, `${u.unit} ${v.code} rate`);
      }
      const catalogue = unitKind === 'department' ? await db('departments').where({ active: true }).pluck('code')
        : unitKind === 'gridWorker' ? await db('users as u').join('user_roles as r', 'r.user_id', 'u.id').where({ 'r.role_code': 'grid-worker' }).pluck('u.username')
          : await db('org_units').where({ level: unitKind, active: true }).pluck('code');
      assert.deepEqual([...listed.keys()], [...catalogue].sort(), `every ${unitKind} of the district is listed, in code order`);
    }
    // Spot checks of the ledger counter itself, counted by hand from the stories.
    const departments = await get(db, 'ld01', `/api/assessment${query({ ...PERIOD, unitKind: 'department' })}`);
    const d12 = (departments.body.units as UnitBody[]).find((u) => u.unit === 'D12') as UnitBody;
    assert.equal(d12.name, '区城市管理局');
    assert.deepEqual([d12.counts.dueToHandle, d12.counts.handledOnTime, d12.counts.overdueUnhandled, d12.counts.extended, d12.counts.dispatches], [8, 5, 2, 1, 8]);
    const d02 = (departments.body.units as UnitBody[]).find((u) => u.unit === 'D02') as UnitBody;
    assert.deepEqual(d02.indicators.find((v) => v.code === 'accurateDispatchRate'), { code: 'accurateDispatchRate', numerator: 0, denominator: 2, rate: 0 });
    const workers = await get(db, 'ld01', `/api/assessment${query({ ...PERIOD, unitKind: 'gridWorker' })}`);
    const wgy001 = (workers.body.units as UnitBody[]).find((u) => u.unit === 'wgy001') as UnitBody;
    assert.deepEqual([wgy001.counts.dueToVerify, wgy001.counts.verifiedOnTime, wgy001.counts.reportsDecided, wgy001.counts.visits, wgy001.counts.satisfiedVisits], [5, 4, 4, 4, 3]);
    assert.equal(wgy001.name, '张伟');
    assert.ok(world);
  });

  test('the profile of the active definitions is used, and the score follows it', async ({ db }) => {
    const r = await get(db, 'ld01', `/api/assessment${query({ ...PERIOD, unitKind: 'street' })}`);
    const profile = r.body.indicators as { code: string; name: string; weight: number; inverse: boolean }[];
    assert.deepEqual(profile.map((i) => i.code), ['registrationRate', 'onTimeRegistrationRate', 'accurateDispatchRate', 'handlingRate', 'onTimeHandlingRate', 'closingRate',
      'onTimeClosingRate', 'reworkRate', 'overdueUnhandledRate', 'extensionRate', 'onTimeVerificationRate', 'satisfactionRate']);
    assert.equal(profile[0]?.name, '立案率');
    for (const u of r.body.units as UnitBody[]) {
      let weighted = 0;
      let weights = 0;
      u.indicators.forEach((v, i) => {
        if (v.rate === null) return;
        const p = profile[i] as { weight: number; inverse: boolean };
        weighted += p.weight * (p.inverse ? 1 - v.rate : v.rate);
        weights += p.weight;
      });
      if (weights === 0) {
        assert.equal(u.score, null, `${u.unit} has nothing to judge`);
        continue;
      }
      const score = (weighted / weights) * 100;
      assert.ok(u.score !== null && Math.abs(u.score - score) < 0.01 && u.score <= score + 1e-9, `${u.unit} score ${u.score} ≈ ${score}`);
      const grade = score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : score >= 40 ? 'D' : 'E';
      assert.equal(u.grade, grade, `${u.unit} grade`);
    }
    const street002 = (r.body.units as UnitBody[]).find((u) => u.unit === GRIDS.G1.street) as UnitBody;
    assert.ok(street002.score !== null);
    assert.deepEqual(assessmentIndicatorCodes, indicatorCodes, 'the API contracts list the core\'s indicators');
  });

  test('a street leader sees only the units of their street; a grid worker may not assess', async ({ db }) => {
    const street = GRIDS.G1.street;
    const ofStreet = async (unitKind: string) => ((await get(db, 'jdld01', `/api/assessment${query({ ...PERIOD, unitKind })}`)).body.units as UnitBody[]).map((u) => u.unit);
    assert.deepEqual(await ofStreet('street'), [street]);
    const communities = (await db('org_units').where({ level: 'community', parent_code: street }).pluck('code') as string[]).sort();
    assert.deepEqual(await ofStreet('community'), communities);
    const grids = (await db('org_units').where({ level: 'grid' }).whereIn('parent_code', communities).pluck('code') as string[]).sort();
    assert.deepEqual(await ofStreet('grid'), grids);
    assert.ok(!(await ofStreet('grid')).includes(GRIDS.G4.grid));
    assert.deepEqual(await ofStreet('gridWorker'), ['wgy001', 'wgy002', 'wgy003']);
    // District departments are assessed by the district; the street sees its own street office (placed at the street).
    assert.deepEqual(await ofStreet('department'), await db('departments').where({ org_unit_code: street }).pluck('code'));
    assert.ok(!(await ofStreet('department')).includes('D12'));
    // The figures of a unit are the same whoever asks.
    const leader = await get(db, 'jdld01', `/api/assessment${query({ ...PERIOD, unitKind: 'street' })}`);
    assert.deepEqual((leader.body.units as UnitBody[])[0]?.counts, expectedCounts(countLedgers('street'), street));
    const worker = await get(db, 'wgy001', `/api/assessment${query({ ...PERIOD, unitKind: 'grid' })}`);
    assert.equal(worker.status, 403);
    const other = await get(db, 'jdld01', `/api/assessment/explain${query({ ...PERIOD, unitKind: 'street', unit: GRIDS.G4.street, indicator: 'handlingRate' })}`);
    assert.equal(other.status, 404, 'another street cannot be explained');
  });

  test('explain lists the cases behind a figure', async ({ db }) => {
    const { caseIds } = await storyWorld(db);
    const ids = (labels: string[]) => labels.map((l) => caseIds[l]).sort();
    const r = await get(db, 'ld01', `/api/assessment/explain${query({ ...PERIOD, unitKind: 'department', unit: 'D12', indicator: 'onTimeHandlingRate' })}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.numerator.count, 'handledOnTime');
    assert.equal(r.body.denominator.count, 'dueToHandle');
    const caseIdsOf = (items: { caseId: string }[]) => items.map((i) => i.caseId).sort();
    assert.deepEqual(caseIdsOf(r.body.numerator.items), ids(['K1', 'K4', 'K7', 'K13', 'L1']));
    assert.deepEqual(caseIdsOf(r.body.denominator.items), ids(['K1', 'K4', 'K5', 'K7', 'K9', 'K13', 'K14', 'L1']));
    assert.ok((r.body.denominator.items as { ref: string }[]).every((i) => i.ref.startsWith('D12 dispatch ')));
    const visits = await get(db, 'jdld01', `/api/assessment/explain${query({ ...PERIOD, unitKind: 'gridWorker', unit: 'wgy001', indicator: 'satisfactionRate' })}`);
    assert.deepEqual(caseIdsOf(visits.body.denominator.items), ids(['K1', 'K2', 'K7', 'K8']));
    assert.deepEqual(caseIdsOf(visits.body.numerator.items), ids(['K1', 'K7', 'K8']));
  });

  test('CSV and Excel exports carry the figures with Chinese headers, and every export is audited', async ({ db }) => {
    const { world } = await storyWorld(db);
    const json = await get(db, 'ld01', `/api/assessment${query({ ...PERIOD, unitKind: 'department' })}`);
    const d12 = (json.body.units as UnitBody[]).find((u) => u.unit === 'D12') as UnitBody;
    const auditsBefore = Number((await db('audit_log').where({ action: 'assessment.export' }).count({ n: '*' }))[0]?.n);

    const download = (format: string) => fetch(`${world.server.url}/api/assessment/export${query({ ...PERIOD, unitKind: 'department', format })}`, {
      headers: { cookie: cookie ?? '' },
    });
    const { cookie } = await world.as('ld01');
    const csv = await download('csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(csv.headers.get('content-disposition') ?? '', /^attachment; filename="?assessment-department-2026-10-12_2026-10-19\.csv"?$/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    assert.equal(lines.at(-1), '', 'CRLF after every line');
    const header = (lines[0] as string).split(',');
    assert.deepEqual(header.slice(0, 5), ['单位', '名称', '立案率分子', '立案率分母', '立案率']);
    assert.deepEqual(header.slice(-2), ['综合得分', '等级']);
    const row = (lines.find((l) => l.startsWith('D12,')) as string).split(',');
    assert.equal(row[1], '区城市管理局');
    const handling = header.indexOf('按期处置率');
    assert.deepEqual(row.slice(handling - 2, handling + 1), ['5', '8', '0.6250']);
    assert.equal(lines.length - 2, (json.body.units as UnitBody[]).length);

    const xlsx = await download('xlsx');
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet('考核结果');
    assert.ok(sheet);
    const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    assert.deepEqual(cells(1).map(String), header);
    let found = false;
    sheet.eachRow((r, n) => {
      if (n === 1 || r.getCell(1).value !== 'D12') return;
      found = true;
      const values = cells(n);
      assert.equal(values[1], '区城市管理局');
      d12.indicators.forEach((v, k) => {
        assert.equal(values[2 + k * 3], v.numerator, `${v.code} numerator`);
        assert.equal(values[3 + k * 3], v.denominator, `${v.code} denominator`);
        if (v.rate === null) assert.equal(values[4 + k * 3], undefined);
        else assert.ok(Math.abs((values[4 + k * 3] as number) - v.rate) < 0.00005, `${v.code} rate`);
      });
      assert.equal(values[2 + d12.indicators.length * 3], d12.score);
      assert.equal(values[3 + d12.indicators.length * 3], d12.grade);
    });
    assert.ok(found, 'the D12 row is in the workbook');
    assert.equal(sheet.rowCount, 1 + (json.body.units as UnitBody[]).length);
    assert.deepEqual((workbook.getWorksheet('说明')?.getRow(3).values as unknown[]).slice(1), ['考核对象', '职能部门']);

    const audits = await db('audit_log').where({ action: 'assessment.export' }).orderBy('id').select('actor_username', 'target_id', 'entry') as { actor_username: string; target_id: string; entry: string }[];
    assert.equal(audits.length, auditsBefore + 2, 'each export is audited');
    const last = audits.slice(-2).map((a) => ({ actor: a.actor_username, target: a.target_id, details: (JSON.parse(a.entry) as { details: Record<string, unknown> }).details }));
    assert.deepEqual(last.map((a) => [a.actor, a.target, a.details.format, a.details.from, a.details.to]), [
      ['ld01', 'department', 'csv', PERIOD.from, PERIOD.to], ['ld01', 'department', 'xlsx', PERIOD.from, PERIOD.to],
    ]);
  });

  test('bad queries are refused naming the parameter', async ({ db }) => {
    const refused = async (params: Record<string, string>, path = '/api/assessment') => {
      const r = await get(db, 'ld01', `${path}${query(params)}`);
      assert.equal(r.status, 400, `${JSON.stringify(params)} → ${r.status}`);
      return targets(r);
    };
    assert.deepEqual(await refused({ from: PERIOD.to, to: PERIOD.from, unitKind: 'street' }), ['/query/to']);
    assert.deepEqual(await refused({ from: PERIOD.from, to: PERIOD.from, unitKind: 'street' }), ['/query/to']);
    assert.deepEqual(await refused({ from: '2022-10-01T00:00:00+08:00', to: '2026-10-01T00:00:00+08:00', unitKind: 'street' }), ['/query/to']);
    assert.ok((await refused({ ...PERIOD, unitKind: 'team' })).includes('/query/unitKind'));
    assert.ok((await refused({ from: 'last week', to: PERIOD.to, unitKind: 'street' })).includes('/query/from'));
    assert.ok((await refused({ from: '2026-10-12T00:00:00', to: PERIOD.to, unitKind: 'street' })).includes('/query/from'), 'an instant needs its offset');
    assert.ok((await refused({ to: PERIOD.to, unitKind: 'street' })).includes('/query/from'), 'from is required');
    assert.ok((await refused({ ...PERIOD, unitKind: 'department', unit: 'D12', indicator: 'speed' }, '/api/assessment/explain')).includes('/query/indicator'));
    assert.ok((await refused({ ...PERIOD, unitKind: 'department', format: 'pdf' }, '/api/assessment/export')).includes('/query/format'));
    const three = await get(db, 'ld01', `/api/assessment${query({ from: '2023-10-19T00:00:00+08:00', to: PERIOD.to, unitKind: 'street' })}`);
    assert.equal(three.status, 200, 'three years exactly is allowed');
  });
});
