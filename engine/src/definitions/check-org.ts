/** Cross-checks of the org tree and its boundaries. */
import type { CheckContext } from './check-context.ts';
import { indexUnique, known } from './check-context.ts';
import type { OrgLevel, OrgUnit, Ring } from './model.ts';
import { pointInGeometry } from '../geo/point-in-polygon.ts';

const levelNames: Record<OrgLevel, { 'zh-CN': string; en: string }> = {
  district: { 'zh-CN': '区县', en: 'district' },
  street: { 'zh-CN': '街道', en: 'street' },
  community: { 'zh-CN': '社区', en: 'community' },
  grid: { 'zh-CN': '网格', en: 'grid' },
};
const parentLevel: Record<OrgLevel, OrgLevel | undefined> = { district: undefined, street: 'district', community: 'street', grid: 'community' };
const codeFormats: Record<OrgLevel, { re: RegExp; text: { 'zh-CN': string; en: string } }> = {
  district: { re: /^\d{6}$/, text: { 'zh-CN': '6 位数字', en: '6 digits' } },
  street: { re: /^\d{9}$/, text: { 'zh-CN': '9 位数字', en: '9 digits' } },
  community: { re: /^\d{12}$/, text: { 'zh-CN': '12 位数字', en: '12 digits' } },
  grid: { re: /^[0-9A-Z]{15}$/, text: { 'zh-CN': '15 位数字或大写字母', en: '15 digits or capital letters' } },
};

/** Checks codes, levels, parents and prefixes of the org tree; returns the units by code. */
export function checkOrg(ctx: CheckContext): Map<string, OrgUnit> {
  const units = ctx.data.orgUnits?.units ?? [];
  const byCode = indexUnique(ctx, 'orgUnits', '/units', units, (u) => u.code, { 'zh-CN': '组织节点', en: 'org unit' });
  if (units.length === 0) return byCode;
  const districts = units.filter((u) => u.level === 'district');
  if (districts.length === 0) ctx.problems.error('org.noDistrict', ctx.at('orgUnits', '/units'));
  if (districts.length > 1) ctx.problems.error('org.manyDistricts', ctx.at('orgUnits', `/units/${units.indexOf(districts[1] as OrgUnit)}`));
  const districtCode = ctx.manifest.districtCode;
  if (!districtCode) ctx.problems.error('org.districtCodeMissing', ctx.at('manifest', ''));
  units.forEach((unit, i) => {
    const here = (field: string) => ctx.at('orgUnits', `/units/${i}${field}`);
    const level = levelNames[unit.level];
    if (!codeFormats[unit.level].re.test(unit.code)) {
      ctx.problems.error('org.codeFormat', here('/code'), { level, code: unit.code, format: codeFormats[unit.level].text });
    }
    if (unit.level === 'district' && districtCode && unit.code !== districtCode) {
      ctx.problems.error('org.districtMismatch', here('/code'), { code: unit.code, districtCode });
    }
    const expected = parentLevel[unit.level];
    if (!expected) return;
    if (!unit.parent) {
      ctx.problems.error('org.parentRequired', here(''), { level });
      return;
    }
    const parent = byCode.get(unit.parent);
    if (!parent) {
      ctx.problems.error('org.parentMissing', here('/parent'), { parent: unit.parent });
      return;
    }
    if (parent.level !== expected) {
      ctx.problems.error('org.parentLevel', here('/parent'), { level, expected: levelNames[expected], parent: parent.code, actual: levelNames[parent.level] });
    } else if (!unit.code.startsWith(parent.code)) {
      ctx.problems.error('org.codePrefix', here('/code'), { code: unit.code, parent: parent.code });
    }
  });
  return byCode;
}

const closed = (ring: Ring) => {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return !!first && !!last && first[0] === last[0] && first[1] === last[1];
};

/** Checks boundaries: known units, closed rings, and children drawn inside their parents. */
export function checkBoundaries(ctx: CheckContext, units: Map<string, OrgUnit>): void {
  const features = ctx.data.boundaries?.features ?? [];
  const byCode = indexUnique(ctx, 'boundaries', '/features', features, (f) => f.properties.code, { 'zh-CN': '边界', en: 'boundary' });
  features.forEach((feature, i) => {
    const code = feature.properties.code;
    const here = (p: string) => ctx.at('boundaries', `/features/${i}${p}`);
    if (!known(ctx, 'orgUnits', units, code)) ctx.problems.error('geo.unknownUnit', here('/properties/code'), { code });
    const polygons = (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates) as Ring[][];
    const open = polygons.some((polygon) => polygon.some((ring) => !closed(ring)));
    if (open) {
      ctx.problems.error('geo.ringOpen', here('/geometry/coordinates'));
      return;
    }
    const parentCode = units.get(code)?.parent;
    const parent = parentCode ? byCode.get(parentCode) : undefined;
    if (!parent || !parentCode) return;
    const outside = polygons.some((polygon) => (polygon[0] ?? []).some((point) => !pointInGeometry(point, parent.geometry)));
    if (outside) ctx.problems.warn('geo.outsideParent', here('/geometry'), { code, parent: parentCode });
  });
}
