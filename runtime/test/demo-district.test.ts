import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem, pointInGeometry } from '@gridflow/engine';
import type { ResolvedPackage } from '@gridflow/engine';
import { demoDistrictPackageDir, standardPackageDir } from '@gridflow/definitions';
import { DefinitionsService } from '../src/definitions/definitions.service.ts';

async function resolve(dir: string): Promise<ResolvedPackage> {
  const result = await new DefinitionsService().validate(dir);
  assert.deepEqual(result.problems.map((p) => formatProblem(p, 'en')), [], 'no errors and no warnings');
  assert.ok(result.resolved);
  return result.resolved;
}

describe('bundled packages', () => {
  it('the standard package carries the classification tree, roles, the 2026 calendar and an assessment profile', async () => {
    const standard = await resolve(standardPackageDir);
    const classes = standard.data.catalogue?.classes ?? [];
    assert.deepEqual(classes.map((c) => c.name).slice(0, 9), ['市容环境', '宣传广告', '施工管理', '突发事件', '街面秩序', '矛盾纠纷', '安全隐患', '社会治安', '民生服务']);
    assert.equal(standard.manifest.districtCode, undefined);
  });

  it('the demo district meets the size and realism the product promises', async () => {
    const demo = await resolve(demoDistrictPackageDir);
    const units = demo.data.orgUnits?.units ?? [];
    const byLevel = (level: string) => units.filter((u) => u.level === level);
    assert.ok(byLevel('street').length >= 4);
    assert.ok(byLevel('community').length >= 12);
    const grids = byLevel('grid');
    assert.ok(grids.length >= 60);
    for (const g of grids) assert.match(g.code, /^[0-9A-Z]{15}$/);

    const features = new Map((demo.data.boundaries?.features ?? []).map((f) => [f.properties.code, f.geometry]));
    for (const u of units) assert.ok(features.has(u.code), `${u.code} ${u.name} has a boundary`);
    // A point inside every base grid lies inside its community too.
    for (const g of grids.filter((x) => x.kind !== 'department')) {
      const ring = (features.get(g.code)?.coordinates as number[][][])[0] ?? [];
      const centre = [ring.reduce((s, p) => s + (p[0] ?? 0), 0) / ring.length, ring.reduce((s, p) => s + (p[1] ?? 0), 0) / ring.length];
      const community = features.get(g.parent ?? '');
      assert.ok(community && pointInGeometry(centre, community), `${g.code} lies in its community`);
    }

    assert.ok((demo.data.departments?.departments.length ?? 0) >= 20);
    const classes = demo.data.catalogue?.classes ?? [];
    const subclasses = classes.flatMap((c) => c.subclasses);
    assert.ok(classes.length >= 8 && subclasses.length >= 60);
    const types = new Set(subclasses.map((s) => s.timeLimit.type));
    assert.deepEqual([...types].sort(), ['naturalDays', 'urgent', 'workDays', 'workHours']);
    assert.ok(subclasses.some((s) => (s.timeLimit.stages?.length ?? 0) > 1), 'some limits are staged');
    const levels = new Set(subclasses.map((s) => s.level));
    assert.deepEqual([...levels].sort(), ['community', 'district', 'street']);
    const responsibilities = demo.data.responsibilities?.responsibilities ?? [];
    for (const s of subclasses) assert.ok(responsibilities.some((r) => r.subclass === s.code), `${s.code} has a responsibility entry`);

    const year = demo.data.calendar?.years.find((y) => y.year === 2026);
    const holidays = new Set((year?.holidays ?? []).flatMap((h) => h.dates));
    for (const d of ['2026-01-01', '2026-02-17', '2026-04-05', '2026-05-01', '2026-06-19', '2026-09-25', '2026-10-01']) assert.ok(holidays.has(d), `${d} is a holiday`);
    assert.deepEqual((year?.workdays ?? []).map((w) => w.date).sort(), ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);

    const roles = demo.data.roles?.roles ?? [];
    const users = demo.data.users?.users ?? [];
    for (const r of roles) assert.ok(users.some((u) => u.roles.includes(r.code)), `a demo user has role ${r.code}`);
    assert.equal(demo.manifest.extends, 'standard@2026.1.0');
  });
});
