/** Read-only org tree API: units by parent, with counts per level. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import type { OrgUnitsResponse, OrgUnitSummary } from '../contracts/index.ts';

const codePattern = /^[0-9A-Z]{6,15}$/;

/** GET /api/org/units?parent=<code> → active children of a unit (the district when no parent). */
export function orgRouter(db: Knex): Router {
  const router = Router();
  router.get('/units', async (req, res) => {
    const parent = typeof req.query.parent === 'string' ? req.query.parent : undefined;
    if (parent !== undefined && !codePattern.test(parent)) {
      throw new UserError('request.invalid', { 'zh-CN': '参数 parent 应为组织编码', en: 'Query parameter parent must be an org unit code' }, { details: [{ target: 'parent', message: { 'zh-CN': '格式不正确', en: 'wrong format' } }] });
    }
    const query = db('org_units').where({ active: true }).select('code', 'name', 'level', 'parent_code as parent', 'kind', 'population', 'households').orderBy('code');
    const units = (parent ? await query.where({ parent_code: parent }) : await query.whereNull('parent_code')) as OrgUnitSummary[];
    const body: OrgUnitsResponse = { units };
    res.json(body);
  });
  return router;
}
