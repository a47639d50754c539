/**
 * Dispatch suggestions from the demo district's responsibility list (职责清单), and the tiers a case
 * escalates through (小事不出社区、大事不出街道、疑难区级协调).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedPackage } from '@gridflow/engine';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { DefinitionsService } from '../../src/definitions/definitions.service.ts';
import { DistrictDefinitions } from '../../src/definitions/active-definitions.ts';
import { escalationOf, suggestDispatch } from '../../src/dispatch/dispatch-suggestion.ts';

const place = { gridCode: '370102002001001', communityCode: '370102002001', streetCode: '370102002', districtCode: '370102' };

describe('dispatch suggestions from the responsibility list', () => {
  let pkg: ResolvedPackage;
  let defs: DistrictDefinitions;
  /** The demo package with its responsibility list changed. */
  const withResponsibilities = (change: (list: NonNullable<ResolvedPackage['data']['responsibilities']>['responsibilities']) => void) => {
    const copy = structuredClone(pkg);
    change(copy.data.responsibilities?.responsibilities ?? []);
    return new DistrictDefinitions(copy);
  };

  before(async () => {
    const result = await new DefinitionsService().validate(demoDistrictPackageDir);
    assert.ok(result.resolved, 'the demo district resolves');
    pkg = result.resolved;
    defs = new DistrictDefinitions(pkg);
  });

  it('given a street-level subclass with a primary and an assisting department, then departments handle it, dispatched by the street', () => {
    assert.deepEqual(suggestDispatch(defs, '01001', place), {
      handlingLevel: 'department', level: 'street', tier: 'street', primaryDepartment: 'D01', assistingDepartments: ['D14'],
      basis: '《中华人民共和国城乡规划法》第六十四条', source: 'responsibilityList',
    });
  });

  it('given a district-level subclass, then the district dispatches it, with every assisting department in list order', () => {
    const s = suggestDispatch(defs, '03003', place);
    assert.deepEqual([s.level, s.tier, s.handlingLevel, s.primaryDepartment, s.assistingDepartments], ['district', 'district', 'department', 'D01', ['D12', 'D10']]);
  });

  it('every subclass of the demo catalogue gets a suggestion whose departments exist', () => {
    const codes = (pkg.data.catalogue?.classes ?? []).flatMap((c) => c.subclasses.map((s) => s.code));
    assert.ok(codes.length > 50);
    for (const code of codes) {
      const s = suggestDispatch(defs, code, place);
      for (const d of [s.primaryDepartment, ...s.assistingDepartments].filter((x): x is string => x !== null)) assert.ok(defs.department(d), `${code}: department ${d} exists`);
      assert.equal(s.tier === 'district', s.level === 'district', `${code}: the district dispatches exactly the district-level subclasses`);
    }
  });

  it('given an entry scoped to the case\'s street, then it wins over the district-wide entry; a scope elsewhere is ignored', () => {
    const scoped = withResponsibilities((list) => {
      list.push({ subclass: '01001', scope: place.streetCode, level: 'community', departments: [{ code: 'D12', role: 'primary' }] });
      list.push({ subclass: '01002', scope: '370102004', level: 'district', departments: [{ code: 'D05', role: 'primary' }] });
    });
    assert.deepEqual([suggestDispatch(scoped, '01001', place).level, suggestDispatch(scoped, '01001', place).handlingLevel], ['community', 'community']);
    assert.equal(suggestDispatch(scoped, '01001', { ...place, streetCode: '370102001' }).level, 'street');
    assert.equal(suggestDispatch(scoped, '01002', place).level, 'street');
  });

  it('given no entry for the subclass, then the catalogue\'s level decides and no department is suggested; an unknown type goes to the community', () => {
    const none = withResponsibilities((list) => list.splice(0, list.length));
    const s = suggestDispatch(none, '01001', place);
    assert.deepEqual([s.source, s.level, s.handlingLevel, s.primaryDepartment, s.assistingDepartments], ['catalogue', 'street', 'community', null, []]);
    assert.deepEqual([suggestDispatch(defs, '99999', place).source, suggestDispatch(defs, '99999', place).handlingLevel], ['none', 'community']);
  });

  it('given departments the definitions do not know, then they are left out (and the primary repeated as assisting too)', () => {
    const odd = withResponsibilities((list) => {
      const entry = list.find((r) => r.subclass === '01001');
      assert.ok(entry);
      entry.departments = [{ code: 'X99', role: 'primary' }, { code: 'D01', role: 'primary' }, { code: 'D01', role: 'assisting' }, { code: 'Y98', role: 'assisting' }, { code: 'D14', role: 'assisting' }];
    });
    const s = suggestDispatch(odd, '01001', place);
    assert.deepEqual([s.primaryDepartment, s.assistingDepartments], ['D01', ['D14']]);
  });
});

describe('escalation tiers', () => {
  const cases: [unknown, unknown, string, string][] = [
    ['community', 'street', 'community', 'street'],
    ['community', 'district', 'community', 'district'],
    ['district', 'street', 'street', 'district'],
    ['department', 'street', 'street', 'district'],
    ['department', 'district', 'district', 'district'],
    [undefined, undefined, 'street', 'district'],
  ];
  for (const [level, tier, from, to] of cases) {
    it(`given handling level ${String(level)} dispatched by the ${String(tier)} tier, then it escalates from ${from} to ${to}`, () => {
      assert.deepEqual(escalationOf(level, tier), { from, to });
    });
  }
});
