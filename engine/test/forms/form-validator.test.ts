import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { computeIdCardCheck } from '../../src/forms/formats.ts';
import { FormValidator } from '../../src/forms/form-validator.ts';
import type { FormDefinition } from '../../src/definitions/model.ts';

const form = JSON.parse(readFileSync(new URL('./fixtures/dispute.form.json', import.meta.url), 'utf8')) as FormDefinition;
const validator = new FormValidator(form);
const id17 = '37010219850612003';
const ID = `${id17}${computeIdCardCheck(id17)}`;
const report = { partyName: '李四', partyIdNumber: ID, partyPhone: '13853100101', disputeType: 'neighbour', grid: '370102001001001', location: { type: 'Point', coordinates: [117.02, 36.66] } };
const pointers = (r: { problems: { pointer: string; code: string }[] }) => r.problems.map((p) => `${p.pointer} ${p.code}`).sort();

describe('form submissions are validated on the server', () => {
  it('accepts a valid report and keeps the values', () => {
    const r = validator.validate(report, { roles: ['grid-worker'] });
    assert.deepEqual(r.problems, []);
    assert.equal(r.values.partyIdNumber, ID);
  });

  it('reports every bad format with a pointer and a message a user understands', () => {
    const bad = { ...report, partyIdNumber: `${id17}${computeIdCardCheck(id17) === '1' ? '2' : '1'}`, partyPhone: '1385310010', companyCode: '91350100M000100Y4I', grid: '3701', location: { type: 'Point', coordinates: [200, 36] } };
    const r = validator.validate(bad, { roles: ['grid-worker'] });
    assert.equal(r.ok, false);
    const byPointer = new Map(r.problems.map((p) => [p.pointer, p]));
    for (const pointer of ['/partyIdNumber', '/partyPhone', '/companyCode', '/grid']) assert.ok(byPointer.has(pointer), `${pointer} reported`);
    assert.ok(r.problems.some((p) => p.pointer.startsWith('/location')), 'the point is out of range');
    assert.match(byPointer.get('/partyIdNumber')?.message['zh-CN'] ?? '', /校验/);
    assert.ok(byPointer.get('/partyPhone')?.message.en);
  });

  it('requires the other-type description only when the type is "other" — on the server too', () => {
    const missing = validator.validate({ ...report, disputeType: 'other' }, { roles: ['grid-worker'] });
    assert.deepEqual(pointers(missing), ['/otherDescription form.required']);
    assert.equal(missing.problems[0]?.message['zh-CN'], '请填写“其他类型说明”');
    assert.equal(validator.validate({ ...report, disputeType: 'other', otherDescription: '噪音扰民' }, { roles: ['grid-worker'] }).ok, true);
    const hidden = validator.validate({ ...report, otherDescription: '无关' }, { roles: ['grid-worker'] });
    assert.deepEqual(pointers(hidden), ['/otherDescription form.fieldHidden'], 'a hidden field cannot be filled in');
  });

  it('enforces the field rules of the verify step for the grid worker', () => {
    const previous = validator.validate(report, { roles: ['grid-worker'] }).values;
    const ok = validator.validate({ verifyResult: 'resolved' }, { task: 'verify', roles: ['grid-worker'], previous });
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.values.partyName, '李四', 'earlier values are kept');
    const readOnly = validator.validate({ verifyResult: 'resolved', partyName: '王五' }, { task: 'verify', roles: ['grid-worker'], previous });
    assert.deepEqual(pointers(readOnly), ['/partyName form.fieldReadOnly']);
    assert.equal(readOnly.problems[0]?.message['zh-CN'], '“当事人姓名”在此步骤为只读，不能修改');
    const unchanged = validator.validate({ verifyResult: 'resolved', partyName: '李四' }, { task: 'verify', roles: ['grid-worker'], previous });
    assert.equal(unchanged.ok, true, 'sending an unchanged read-only value back is fine');
    assert.deepEqual(pointers(validator.validate({}, { task: 'verify', roles: ['grid-worker'], previous })), ['/verifyResult form.required']);
    assert.deepEqual(pointers(validator.validate({ verifyResult: 'unresolved' }, { task: 'verify', roles: ['grid-worker'], previous })), ['/verifyNote form.required'], 'a note is required when unresolved');
  });

  it('refuses the verify result at reporting, where it is hidden, and unknown fields', () => {
    assert.deepEqual(pointers(validator.validate({ ...report, verifyResult: 'resolved', extra: 1 }, { roles: ['citizen'] })), ['/extra form.unknownField', '/verifyResult form.fieldHidden']);
  });

  it('never sends hidden fields to the client', () => {
    const values = validator.validate(report, { roles: ['grid-worker'] }).values;
    const forHandler = validator.visibleValues(values, { task: 'handle', roles: ['department-handler'] });
    assert.equal(forHandler.partyIdNumber, undefined);
    assert.equal(forHandler.partyName, '李四');
    assert.equal(validator.visibleValues(values, { task: 'handle', roles: ['street-dispatcher'] }).partyIdNumber, ID);
  });

  it('refuses to compile a form whose reactions run scripts', () => {
    const evil = structuredClone(form);
    (evil.properties.verifyNote as Record<string, unknown>)['x-reactions'] = { fulfill: { run: 'fetch("/steal")' } };
    assert.throws(() => new FormValidator(evil), /run/);
    (evil.properties.verifyNote as Record<string, unknown>)['x-reactions'] = { when: '{{ window.alert(1) }}', fulfill: { state: { visible: true } } };
    assert.throws(() => new FormValidator(evil), /x-reactions\/when/);
  });
});

describe('the standard event report form', () => {
  const standard = JSON.parse(readFileSync(new URL('../../../definitions/standard/forms/event-report.form.json', import.meta.url), 'utf8')) as FormDefinition;
  const v = new FormValidator(standard);
  const base = { eventType: '01001', description: '楼道堆放杂物堵塞消防通道', location: { type: 'Point', coordinates: [117.02, 36.66] } };

  it('lets a citizen report anonymously without a phone, but asks for one otherwise', () => {
    assert.equal(v.validate({ ...base, anonymous: true }, { roles: ['citizen'] }).ok, true);
    assert.deepEqual(pointers(v.validate(base, { roles: ['citizen'] })), ['/reporterPhone form.required']);
    assert.deepEqual(pointers(v.validate({ ...base, anonymous: true, reporterPhone: '13800000000' }, { roles: ['citizen'] })), ['/reporterPhone form.fieldHidden']);
  });

  it('lets a grid worker record an on-the-spot handling (自行处置), with its result required', () => {
    assert.deepEqual(pointers(v.validate({ ...base, reporterPhone: '13853100101', selfHandled: true }, { roles: ['grid-worker'] })), ['/selfHandleResult form.required']);
    assert.equal(v.validate({ ...base, reporterPhone: '13853100101', selfHandled: true, selfHandleResult: '已清理' }, { roles: ['grid-worker'] }).ok, true);
    assert.deepEqual(pointers(v.validate({ ...base, reporterPhone: '13853100101', selfHandled: true, selfHandleResult: 'x' }, { roles: ['citizen'] })), ['/selfHandleResult form.fieldHidden', '/selfHandled form.fieldHidden']);
  });

  it('keeps the report read-only at later tasks', () => {
    const previous = v.validate({ ...base, reporterPhone: '13853100101' }, { roles: ['grid-worker'] }).values;
    assert.deepEqual(pointers(v.validate({ description: '改写描述' }, { task: 'dispatch', roles: ['street-dispatcher'], previous })), ['/description form.fieldReadOnly']);
  });
});
