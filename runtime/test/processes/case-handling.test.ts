/**
 * The standard closed loop 事件处置闭环 (definitions/standard/processes/case-handling.bpmn) with its
 * task forms: every path driven on a real engine, each submission validated by GridFlow's
 * FormValidator for the step's role; and the package checks the definitions loader and BPMN lint make.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldAccess, formatProblem, lintBpmn } from '@gridflow/engine';
import type { EngineClient, EngineFlavour, FormDefinition } from '@gridflow/engine';
import { eventually } from '@gridflow/engine/testing';
import { demoDistrictPackageDir, standardPackageDir } from '@gridflow/definitions';
import { DefinitionsService } from '../../src/definitions/definitions.service.ts';
import { coreTopicNames } from '../../src/engine-host/core-topics.ts';
import { CaseRun, CaseWorld, candidatesAt, forms, intake, photo, processXml, refusals, stepRoles, validatorOf } from './case-world.ts';
import type { TaskKey } from './case-world.ts';

const taskForms = ['case-accept', 'case-dispatch', 'case-handle', 'case-assist', 'case-verify', 'case-close', 'case-return-visit'];
const userTasks = [...processXml.matchAll(/<bpmn:userTask id="([^"]+)"[^>]*camunda:formKey="gridflow:form:([^"]+)"/g)].map((m) => ({ id: m[1] as TaskKey, form: m[2] as string }));

describe('case-handling definitions', () => {
  it('given the demo district over the standard package, when validated with process linting, then there is no error and no warning', async () => {
    const result = await new DefinitionsService(undefined, undefined, coreTopicNames).validate(demoDistrictPackageDir);
    assert.deepEqual(result.problems.map((p) => formatProblem(p, 'en')), []);
    assert.ok(result.resolved?.processes['processes/case-handling.bpmn'], 'the process is part of the resolved package');
    for (const key of taskForms) assert.ok(result.resolved?.forms[`forms/${key}.form.json`], `form ${key} is part of the resolved package`);
  });

  it('given case-handling.bpmn, when linted as before a deploy with the forms known, then nothing is found', async () => {
    const findings = await lintBpmn(processXml, { boundTopics: coreTopicNames, formKeys: new Set(Object.keys(forms)), file: 'case-handling.bpmn' });
    assert.deepEqual(findings.map((f) => `${f.severity} ${f.rule} ${f.elementId}: ${f.message.en}`), []);
  });

  it('every flow element has a name and a diagram shape or edge', () => {
    const elements = [...processXml.matchAll(/<bpmn:(startEvent|endEvent|userTask|serviceTask|boundaryEvent|exclusiveGateway|parallelGateway|sequenceFlow) id="([^"]+)"([^>]*)>/g)];
    const drawn = new Set([...processXml.matchAll(/bpmnElement="([^"]+)"/g)].map((m) => m[1]));
    for (const [, kind, id, attributes] of elements) {
      assert.ok(drawn.has(id), `${id} is drawn`);
      if (kind !== 'sequenceFlow') assert.match(attributes ?? '', /name="[^"]*[\u4e00-\u9fff][^"]*"/, `${id} has a Chinese name`);
    }
    assert.deepEqual(userTasks.map((t) => t.id), ['accept', 'dispatch', 'districtDispatch', 'handleCommunity', 'handleDepartment', 'assistDepartment', 'verify', 'close', 'returnVisit']);
  });

  it('one namespace: a field has the same schema in the report form and every task form that declares it', () => {
    const seen = new Map<string, { form: string; schema: unknown }>();
    for (const form of ['event-report', ...taskForms].map((key) => forms[key] as FormDefinition)) {
      for (const [field, schema] of Object.entries(form.properties)) {
        const first = seen.get(field);
        if (first) assert.deepEqual(schema, first.schema, `${field} in ${form.key} is declared as in ${first.form}`);
        else seen.set(field, { form: form.key, schema });
      }
    }
  });

  it('for every role of the standard package, intake fields are read-only at every step (but the event type and urgency at accept) and the reporter phone is never writable', async () => {
    const intakeFields = Object.keys(forms['event-report']?.properties ?? {});
    const allRoles = (await new DefinitionsService().validate(standardPackageDir)).resolved?.data.roles?.roles.map((r) => r.code) ?? [];
    assert.ok(allRoles.length >= 10 && allRoles.includes('citizen'), 'the standard roles');
    for (const { id, form } of userTasks) {
      const definition = forms[form] as FormDefinition;
      for (const role of allRoles) {
        const access = fieldAccess(definition, { task: id, roles: [role] });
        const writable = intakeFields.filter((f) => access[f] === 'editable' || access[f] === 'required');
        const expected = id === 'accept' && role === 'street-dispatcher' ? ['eventType', 'urgent'] : [];
        assert.deepEqual(writable, expected, `intake fields writable at ${id} for ${role}`);
      }
      const own = fieldAccess(definition, { task: id, roles: stepRoles[id] });
      assert.ok(Object.values(own).some((a) => a === 'editable' || a === 'required'), `${form} has fields to fill in at ${id}`);
    }
  });
});

// Both engine flavours by default, as the engine conformance suite: GRIDFLOW_TEST_ENGINES=operaton limits the run.
const flavours = (process.env.GRIDFLOW_TEST_ENGINES?.trim() || 'operaton,camunda').split(',').map((f) => f.trim() as EngineFlavour);

for (const flavour of flavours) {
  describe(`case-handling on the engine (${flavour})`, () => {
    let world: CaseWorld;
    let client: EngineClient;
    let next = 0;
    const report = (values: Record<string, unknown> = intake(), reporter: string | null = 'wgy001') =>
      CaseRun.report(world, `E-2026-${String(++next).padStart(6, '0')}`, values, reporter);
    const accepted = { acceptDecision: '立案', acceptOpinion: '符合立案条件，予以立案。' };
    const verified = { verifyPassed: true, verifyPhotos: [photo(21)] };
    const closeAndVisit = async (run: CaseRun) => {
      await run.step('close', { closeOpinion: '处置到位，予以结案。' }, candidatesAt.close);
      await run.step('returnVisit', { satisfaction: '满意', visitMethod: '电话', visitNotes: '反映人对处置结果满意。' }, candidatesAt.returnVisit);
    };

    before(async () => {
      world = await CaseWorld.start(flavour);
      client = world.client;
    });
    after(async () => {
      await world?.stop();
    });

    it('given a registered case, when a department handles it and verification passes, then it is closed, visited and archived', async () => {
      const run = await report();
      await run.step('accept', accepted, candidatesAt.accept);
      await run.step('dispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: [], dispatchOpinion: '请城管执法局依法处置。' }, candidatesAt.dispatch);
      await run.step('handleDepartment', { handleResult: '已处置', handleDescription: '已责令当事人拆除彩钢棚，消防通道恢复畅通。', handlePhotos: [photo(11), photo(12)] }, 'dept:D01');
      await run.step('verify', verified, candidatesAt.verify);
      await closeAndVisit(run);
      await run.assertEnded(['reported', 'accept', 'suggestDispatch', 'dispatch', 'handleDepartment', 'verify', 'close', 'returnVisit', 'archived']);
    });

    it('given a report outside the platform\'s remit, when the dispatcher declines to register it with a reason, then the case ends 不予立案', async () => {
      const run = await report();
      await run.step('accept', { acceptDecision: '不予立案', rejectReason: '属于物业服务合同纠纷，不属于网格化事项受理范围。' }, candidatesAt.accept);
      await run.assertEnded(['reported', 'accept', 'rejected']);
    });

    it('given a case the grid worker handled on the spot, when it is reported, then it goes straight to closing and the closer sees how it was handled', async () => {
      const run = await report(intake({ selfHandled: true, selfHandleResult: '已当场劝导摊主撤离，现场已清理。' }));
      const close = await run.validate('close', {});
      assert.equal(validatorOf('case-close').access({ task: 'close', roles: ['street-dispatcher'] }, run.values).selfHandleResult, 'readOnly');
      assert.deepEqual(refusals(close.problems), ['/closeOpinion form.required']);
      await closeAndVisit(run);
      await run.assertEnded(['reported', 'close', 'returnVisit', 'archived']);
    });

    it('given a department that returns the case as not its duty, when it is dispatched again to the community, then the community handles it to the end', async () => {
      const run = await report();
      await run.step('accept', accepted, candidatesAt.accept);
      await run.step('dispatch', { handlingLevel: 'department', primaryDepartment: 'D03', assistingDepartments: [] }, candidatesAt.dispatch);
      await run.step('handleDepartment', { handleResult: '退回', returnReason: '不属于本部门职责，建议由社区协调处置。' }, 'dept:D03');
      const access = validatorOf('case-dispatch').access({ task: 'dispatch', roles: ['street-dispatcher'] }, run.values);
      assert.equal(access.returnReason, 'readOnly', 'the dispatcher sees why the case came back');
      await run.step('dispatch', { handlingLevel: 'community', dispatchOpinion: '请社区协调处置。' }, candidatesAt.dispatch);
      await run.step('handleCommunity', { handleResult: '已处置', handleDescription: '社区协调当事人自行拆除。' }, candidatesAt.handleCommunity);
      await run.step('verify', verified, candidatesAt.verify);
      await closeAndVisit(run);
      await run.assertEnded(['reported', 'accept', 'suggestDispatch', 'dispatch', 'handleDepartment', 'dispatch', 'handleCommunity', 'verify', 'close', 'returnVisit', 'archived']);
    });

    for (const [level, task, candidates] of [['community', 'handleCommunity', candidatesAt.handleCommunity], ['department', 'handleDepartment', 'dept:D01']] as const) {
      it(`given a case handled at ${level} level, when verification fails, then it goes back (返工) to ${task} and then on to the end`, async () => {
        const run = await report();
        await run.step('accept', accepted, candidatesAt.accept);
        await run.step('dispatch', level === 'department' ? { handlingLevel: level, primaryDepartment: 'D01', assistingDepartments: [] } : { handlingLevel: level }, candidatesAt.dispatch);
        await run.step(task, { handleResult: '已处置', handleDescription: '已拆除部分彩钢棚。' }, candidates);
        await run.step('verify', { verifyPassed: false, verifyOpinion: '彩钢棚仅部分拆除，消防通道仍被占用。' }, candidatesAt.verify);
        const access = validatorOf('case-handle').access({ task, roles: stepRoles[task] }, run.values);
        assert.equal(access.verifyOpinion, 'readOnly', 'the handler sees why the work was refused');
        await run.step(task, { handleResult: '已处置', handleDescription: '彩钢棚已全部拆除，消防通道畅通。', handlePhotos: [photo(13)] }, candidates);
        await run.step('verify', verified, candidatesAt.verify);
        await closeAndVisit(run);
        await run.assertEnded(['reported', 'accept', 'suggestDispatch', 'dispatch', task, 'verify', task, 'verify', 'close', 'returnVisit', 'archived']);
      });
    }

    it('given the step forms, when submissions break their rules, then they are refused with the field and the reason, and the engine gets only accepted values', async () => {
      const run = await report();
      // 不予立案 needs a reason; another role may not decide; the reporter's phone is never writable.
      assert.deepEqual(refusals((await run.validate('accept', { acceptDecision: '不予立案' })).problems), ['/rejectReason form.required']);
      assert.deepEqual(refusals((await run.validate('accept', accepted, ['grid-worker'])).problems), ['/acceptDecision form.fieldReadOnly', '/acceptOpinion form.fieldReadOnly']);
      assert.deepEqual(refusals((await run.validate('accept', { ...accepted, reporterPhone: '13900000002' })).problems), ['/reporterPhone form.fieldReadOnly']);
      assert.deepEqual(refusals((await run.validate('accept', { ...accepted, rejectReason: '—' })).problems), ['/rejectReason form.fieldHidden']);
      // The whole form sent back as displayed, with the event type corrected and the case marked urgent.
      const displayed = validatorOf('case-accept').visibleValues(run.values, { task: 'accept', roles: ['street-dispatcher'] });
      await run.step('accept', { ...displayed, ...accepted, eventType: '01002', urgent: true }, candidatesAt.accept);
      const variables = await client.processInstances.variables(run.instanceId);
      assert.equal(variables.eventType, '01002');
      assert.equal(variables.urgent, true);

      // The suggestion filled the primary department in; clearing it is refused (null is no department code either).
      assert.deepEqual(refusals((await run.validate('dispatch', { handlingLevel: 'department', primaryDepartment: null })).problems), ['/primaryDepartment form.required', '/primaryDepartment schema.type']);
      assert.deepEqual(refusals((await run.validate('dispatch', { handlingLevel: 'province' })).problems), ['/handlingLevel schema.enum']);
      assert.deepEqual(refusals((await run.validate('dispatch', { handlingLevel: 'district' })).problems), ['/districtEscalationReason form.required']);
      assert.deepEqual(refusals((await run.validate('dispatch', { handlingLevel: 'community', primaryDepartment: 'D01' })).problems), ['/primaryDepartment form.fieldHidden']);
      assert.deepEqual(refusals((await run.validate('dispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: ['D01', 'D01'] })).problems), ['/assistingDepartments schema.uniqueItems']);
      await run.step('dispatch', { handlingLevel: 'department', primaryDepartment: 'D02', assistingDepartments: [] }, candidatesAt.dispatch);

      const handled = { handleResult: '已处置', handleDescription: '已责令整改。' };
      assert.deepEqual(refusals((await run.validate('handleDepartment', { ...handled, description: '改写的事件描述' })).problems), ['/description form.fieldReadOnly']);
      assert.deepEqual(refusals((await run.validate('handleDepartment', { handleResult: '已处置' })).problems), ['/handleDescription form.required']);
      assert.deepEqual(refusals((await run.validate('handleDepartment', { handleResult: '退回' })).problems), ['/returnReason form.required']);
      assert.deepEqual(refusals((await run.validate('handleDepartment', { handleResult: '上报' })).problems), ['/escalationReason form.required']);
      assert.deepEqual(refusals((await run.validate('handleDepartment', handled, ['community-staff'])).problems), ['/handleDescription form.fieldReadOnly', '/handleResult form.fieldReadOnly']);
      assert.deepEqual(refusals((await run.validate('handleDepartment', { ...handled, handlePhotos: Array.from({ length: 10 }, (_, i) => photo(30 + i)) })).problems), ['/handlePhotos schema.maxItems']);
      await run.step('handleDepartment', handled, 'dept:D02');

      assert.deepEqual(refusals((await run.validate('verify', { verifyPassed: false })).problems), ['/verifyOpinion form.required']);
      assert.deepEqual(refusals((await run.validate('verify', {})).problems), ['/verifyPassed form.required']);
      await run.step('verify', verified, candidatesAt.verify);
      assert.deepEqual(refusals((await run.validate('close', { closeOpinion: '' })).problems), ['/closeOpinion form.required']);
      await run.step('close', { closeOpinion: '予以结案。' }, candidatesAt.close);
      assert.deepEqual(refusals((await run.validate('returnVisit', { satisfaction: '非常满意' })).problems), ['/satisfaction schema.enum']);
      assert.deepEqual(refusals((await run.validate('returnVisit', { visitMethod: '电话' })).problems), ['/satisfaction form.required']);
    });

    it('given an anonymous report by a citizen, when it reaches the return visit, then the reporter fields stay hidden', async () => {
      const run = await report(intake({ anonymous: true, reporterName: undefined, reporterPhone: undefined, selfHandled: undefined, grid: undefined }), null);
      await run.step('accept', accepted, candidatesAt.accept);
      await run.step('dispatch', { handlingLevel: 'community' }, candidatesAt.dispatch);
      await run.step('handleCommunity', { handleResult: '已处置', handleDescription: '已清理。' }, candidatesAt.handleCommunity);
      await run.step('verify', verified, candidatesAt.verify);
      await run.step('close', { closeOpinion: '予以结案。' }, candidatesAt.close);
      const access = validatorOf('case-return-visit').access({ task: 'returnVisit', roles: ['grid-worker'] }, run.values);
      assert.deepEqual([access.reporterName, access.reporterPhone], ['hidden', 'hidden']);
      assert.deepEqual(refusals((await run.validate('returnVisit', { satisfaction: '满意', reporterPhone: '13800000001' })).problems), ['/reporterPhone form.fieldHidden']);
      await run.step('returnVisit', { satisfaction: '基本满意', visitMethod: '上门' }, candidatesAt.returnVisit);
      await run.assertEnded(['reported', 'accept', 'suggestDispatch', 'dispatch', 'handleCommunity', 'verify', 'close', 'returnVisit', 'archived']);
    });

    it('given the responsibility list names a primary and an assisting department, when the dispatcher keeps the suggestion, then both handle it jointly and handling waits for the assisting opinion', async () => {
      const run = await report();
      await run.step('accept', accepted, candidatesAt.accept);
      await run.openTasks();
      const suggested = (await run.timeline()).find((e) => e.kind === 'dispatch.suggested');
      assert.deepEqual(suggested?.details, {
        level: 'street', tier: 'street', handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: ['D14'],
        basis: '《中华人民共和国城乡规划法》第六十四条', source: 'responsibilityList',
      });
      assert.deepEqual([run.values.handlingLevel, run.values.primaryDepartment, run.values.assistingDepartments], ['department', 'D01', ['D14']], 'the dispatch form opens with the suggestion');
      await run.step('dispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: ['D14', 'D02'], dispatchOpinion: '城管执法主办，规划、市场监管协办。' }, candidatesAt.dispatch);
      const open = await run.openTasks();
      assert.deepEqual(open.map((t) => t.taskDefinitionKey).sort(), ['assistDepartment', 'assistDepartment', 'handleDepartment']);
      await run.step('handleDepartment', { handleResult: '已处置', handleDescription: '已责令拆除，现场恢复。' }, 'dept:D01');
      await run.step('assistDepartment', { assistOpinion: '经核实该构筑物未取得规划许可，支持拆除。' }, 'dept:D14');
      assert.deepEqual((await run.openTasks()).map((t) => t.taskDefinitionKey), ['assistDepartment'], 'verification waits for every assisting department');
      await run.step('assistDepartment', { assistOpinion: '棚内无经营行为，无需市场监管处置。' }, 'dept:D02');
      await run.step('verify', verified, candidatesAt.verify);
      await closeAndVisit(run);
      const path = await run.path();
      assert.deepEqual(path.slice(0, 4), ['reported', 'accept', 'suggestDispatch', 'dispatch']);
      assert.deepEqual(path.slice(4, 7).sort(), ['assistDepartment', 'assistDepartment', 'handleDepartment']);
      const handlers = await world.database.db('case_parties').where({ case_id: run.caseId, relation: 'handler' }).orderBy('department_code').pluck('department_code');
      assert.deepEqual(handlers, ['D01', 'D02', 'D14'], 'every department that took part keeps seeing the case');
    });

    it('given a subclass the responsibility list sets at district level, when it is registered, then the district dispatches it directly', async () => {
      const run = await report(intake({ eventType: '03003', title: '工地夜间施工噪声扰民', description: '某工地连续多日夜间施工，噪声扰民严重。' }));
      await run.step('accept', accepted, candidatesAt.accept);
      await run.openTasks();
      assert.deepEqual([run.values.handlingLevel, run.values.primaryDepartment, run.values.assistingDepartments], ['department', 'D01', ['D12', 'D10']]);
      await run.step('districtDispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: [], dispatchOpinion: '区城管执法局牵头处置。' }, candidatesAt.districtDispatch);
      await run.step('handleDepartment', { handleResult: '退回', returnReason: '夜间施工许可属住建部门。' }, 'dept:D01');
      // 退回 goes back to whoever dispatches the case: here the district.
      await run.step('districtDispatch', { handlingLevel: 'department', primaryDepartment: 'D03', assistingDepartments: [] }, candidatesAt.districtDispatch);
      await run.step('handleDepartment', { handleResult: '已处置', handleDescription: '已责令停止夜间施工。' }, 'dept:D03');
      await run.step('verify', verified, candidatesAt.verify);
      await closeAndVisit(run);
      await run.assertEnded(['reported', 'accept', 'suggestDispatch', 'districtDispatch', 'handleDepartment', 'districtDispatch', 'handleDepartment', 'verify', 'close', 'returnVisit', 'archived']);
    });

    it('given a case no level below can handle, when the community and then the street escalate it, then it goes community → street → district and the district coordinates it', async () => {
      const run = await report();
      await run.step('accept', accepted, candidatesAt.accept);
      await run.step('dispatch', { handlingLevel: 'community', dispatchOpinion: '请社区先行劝导。' }, candidatesAt.dispatch);
      await run.step('handleCommunity', { handleResult: '上报', escalationReason: '当事人拒不配合，社区无执法权。' }, candidatesAt.handleCommunity);
      await run.step('dispatch', { handlingLevel: 'district', districtEscalationReason: '涉及多部门联合执法，街道协调无果。' }, candidatesAt.dispatch);
      await run.step('districtDispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: [] }, candidatesAt.districtDispatch);
      // A department that cannot handle it at district level goes back to the district's coordination (there is no level above).
      await run.step('handleDepartment', { handleResult: '上报', escalationReason: '需区政府协调规划认定。' }, 'dept:D01');
      await run.step('districtDispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: ['D14'] }, candidatesAt.districtDispatch);
      await run.step('assistDepartment', { assistOpinion: '已出具规划认定意见：违法建设。' }, 'dept:D14');
      await run.step('handleDepartment', { handleResult: '已处置', handleDescription: '联合执法拆除完毕。' }, 'dept:D01');
      await run.step('verify', verified, candidatesAt.verify);
      await closeAndVisit(run);
      const escalations = (await run.timeline()).filter((e) => e.kind === 'case.escalated').map((e) => [e.details?.from, e.details?.to, e.opinion]);
      assert.deepEqual(escalations, [
        ['community', 'street', '当事人拒不配合，社区无执法权。'],
        ['street', 'district', '涉及多部门联合执法，街道协调无果。'],
        ['district', 'district', '需区政府协调规划认定。'],
      ]);
      const path = await run.path();
      assert.deepEqual(path.slice(0, 9), ['reported', 'accept', 'suggestDispatch', 'dispatch', 'handleCommunity', 'escalate', 'dispatch', 'escalate', 'districtDispatch']);
    });
  });
}

// The clock on the standard process: a case whose handling limit ran out long ago (GridFlow's clock
// set back to a working Monday morning of March 2026), so both timers of the handling step are due
// when the step arrives. One flavour: the timers themselves are engine conformance, tested on both.
describe('the case clock on the standard process (operaton)', () => {
  let world: CaseWorld;
  before(async () => {
    world = await CaseWorld.start('operaton', () => new Date('2026-03-02T00:30:00Z'));
  });
  after(async () => {
    await world?.stop();
  });

  it('given a handling limit that has run out, when the department\'s step arrives, then it is warned, urged and supervised by the district (departments answer to it), and handling on stops the clock', async () => {
    const run = await CaseRun.report(world, 'E-2026-CLOCK01', intake({ eventType: '01002' }));
    await run.step('accept', { acceptDecision: '立案', acceptOpinion: '予以立案。' }, candidatesAt.accept);
    await run.step('dispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: [] }, candidatesAt.dispatch);
    const kinds = async () => (await run.timeline()).map((e) => e.kind);
    await eventually('the warning and the overdue alert', async () => {
      const seen = await kinds();
      return seen.includes('clock.warning') && seen.includes('clock.overdue') ? true : undefined;
    });
    const started = (await run.timeline()).find((e) => e.kind === 'clock.started');
    assert.ok(started, 'the clock started when handling began');
    const variables = await world.client.processInstances.variables(run.instanceId);
    // 01002 暴露垃圾: the demo district overrides the limit to 1 work-hour: from Monday 08:30 (Beijing) → 09:30.
    assert.equal((variables.handleDueAt as Date).toISOString(), '2026-03-02T01:30:00.000Z');
    const supervision = await world.database.db('supervisions').where({ case_id: run.caseId }).first('source', 'level', 'status');
    assert.deepEqual(supervision, { source: 'clock', level: 'district', status: 'open' }, 'the district supervises the overdue department automatically');
    const urged = await world.database.db('notifications').where({ case_id: run.caseId, kind: 'clock.overdue' }).count({ n: '*' }).first() as { n: number };
    assert.ok(Number(urged.n) >= 1, 'the department\'s handlers are urged');
    await run.step('handleDepartment', { handleResult: '已处置', handleDescription: '已清理。' }, 'dept:D01');
    await run.openTasks();
    assert.ok((await kinds()).includes('clock.stopped'), 'handling done stops the clock');
  });
});
