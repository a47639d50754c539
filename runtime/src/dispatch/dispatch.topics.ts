/**
 * Core topics of dispatch: `gridflow.dispatch.suggest` fills the dispatch form from the
 * responsibility list and picks the tier that dispatches; `gridflow.dispatch.escalate` moves a case
 * up a tier (community → street → district) when a level cannot handle it.
 */
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import type { CoreTopicDeps, CoreTopicModule } from '../engine-host/core-topics.ts';
import { caseIdOf } from '../engine-host/topic-case.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { appendCaseEvent } from '../timeline/timeline.store.ts';
import { escalationOf, suggestDispatch } from './dispatch-suggestion.ts';

export const SUGGEST_TOPIC = 'gridflow.dispatch.suggest';
export const ESCALATE_TOPIC = 'gridflow.dispatch.escalate';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

async function caseValues(trx: Knex.Transaction, caseId: string): Promise<Record<string, unknown>> {
  const row = await trx('cases').where({ id: caseId }).first('form_values') as { form_values: string | null } | undefined;
  if (!row) throw new UserError('cases.notFound', { 'zh-CN': `事件 ${caseId} 不存在`, en: `Case ${caseId} does not exist` }, { status: 404 });
  return row.form_values ? JSON.parse(row.form_values) as Record<string, unknown> : {};
}

export const dispatchTopics: CoreTopicModule = {
  topics: [SUGGEST_TOPIC, ESCALATE_TOPIC],
  register(topics, deps: CoreTopicDeps) {
    topics.register(SUGGEST_TOPIC, async (task) => {
      const caseId = caseIdOf(task);
      const v = task.variables;
      const place = { gridCode: str(v.gridCode), communityCode: str(v.communityCode), streetCode: str(v.streetCode), districtCode: str(v.districtCode) };
      const defs = (await activeDefinitions(deps.db)).forDistrict(place.districtCode);
      if (!defs) throw new Error(`No active definitions for district ${place.districtCode ?? '(none)'}`);
      const s = suggestDispatch(defs, str(v.eventType), place);
      const now = deps.clock();
      await deps.db.transaction(async (trx) => {
        // The dispatch form opens with the suggestion; what a dispatcher already chose is kept.
        const values = await caseValues(trx, caseId);
        const filled: Record<string, unknown> = {};
        if (values.handlingLevel === undefined) filled.handlingLevel = s.handlingLevel;
        if (values.primaryDepartment === undefined && s.primaryDepartment) filled.primaryDepartment = s.primaryDepartment;
        if (values.assistingDepartments === undefined) filled.assistingDepartments = s.assistingDepartments;
        if (Object.keys(filled).length > 0) {
          await trx('cases').where({ id: caseId }).update({ form_values: JSON.stringify({ ...values, ...filled }), updated_at: now });
        }
        await appendCaseEvent(trx, {
          caseId, kind: 'dispatch.suggested', at: now, sourceKey: `topic:${task.id}`,
          details: { level: s.level, tier: s.tier, handlingLevel: s.handlingLevel, primaryDepartment: s.primaryDepartment, assistingDepartments: s.assistingDepartments, basis: s.basis, source: s.source },
        });
      });
      // The suggestion itself is on the timeline and in the case's values; the process needs the
      // tier that dispatches and the list its 协办 step runs over.
      return { variables: { dispatchTier: s.tier, assistingDepartments: s.assistingDepartments } };
    }, { variables: ['caseId', 'eventType', 'gridCode', 'communityCode', 'streetCode', 'districtCode'] });

    topics.register(ESCALATE_TOPIC, async (task) => {
      const caseId = caseIdOf(task);
      const v = task.variables;
      const { from, to } = escalationOf(v.handlingLevel, v.dispatchTier);
      // The dispatcher gives the reason for asking the district; a handler, for what its level cannot do.
      const reason = v.handlingLevel === 'district' ? str(v.districtEscalationReason) : str(v.escalationReason);
      await deps.db.transaction(async (trx) => {
        await appendCaseEvent(trx, {
          caseId, kind: 'case.escalated', at: deps.clock(), sourceKey: `topic:${task.id}`, opinion: reason,
          details: { from, to, handlingLevel: str(v.handlingLevel) },
        });
      });
      return { variables: { dispatchTier: to } };
    }, { variables: ['caseId', 'handlingLevel', 'dispatchTier', 'escalationReason', 'districtEscalationReason'] });
  },
};
