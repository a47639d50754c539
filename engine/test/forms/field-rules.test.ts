import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldAccess } from '../../src/forms/field-rules.ts';
import type { FieldRule } from '../../src/forms/field-rules.ts';

const form = (rules?: FieldRule[]) => ({
  properties: { description: {}, photos: {}, verifyResult: {}, reporterIdNumber: {} },
  required: ['description'],
  ...(rules ? { 'x-field-rules': rules } : {}),
});

const rules: FieldRule[] = [
  { fields: { verifyResult: 'hidden' }, others: 'editable' },
  { task: 'verify', roles: ['grid-worker'], fields: { verifyResult: 'required', photos: 'editable' }, others: 'readOnly' },
  { task: 'verify', roles: ['street-dispatcher'], fields: { verifyResult: 'readOnly' } },
  { task: '*', fields: { reporterIdNumber: 'hidden' } },
];

describe('field rules per task and role', () => {
  it('makes every field editable when a form has no rules; schema-required fields are required', () => {
    assert.deepEqual(fieldAccess(form(), { roles: ['grid-worker'] }), { description: 'required', photos: 'editable', verifyResult: 'editable', reporterIdNumber: 'editable' });
  });

  it('applies the start-form rule when reporting', () => {
    assert.deepEqual(fieldAccess(form(rules), { roles: ['citizen'] }), { description: 'required', photos: 'editable', verifyResult: 'hidden', reporterIdNumber: 'editable' });
  });

  it('gives the grid worker at verify the verify result as required, the rest read-only, and hides the ID number', () => {
    assert.deepEqual(fieldAccess(form(rules), { task: 'verify', roles: ['grid-worker'] }), { description: 'readOnly', photos: 'editable', verifyResult: 'required', reporterIdNumber: 'hidden' });
  });

  it('gives a user with two roles the most open access of both', () => {
    assert.deepEqual(fieldAccess(form(rules), { task: 'verify', roles: ['street-dispatcher', 'grid-worker'] }).verifyResult, 'required');
    assert.deepEqual(fieldAccess(form(rules), { task: 'verify', roles: ['street-dispatcher'] }), { description: 'readOnly', photos: 'readOnly', verifyResult: 'readOnly', reporterIdNumber: 'hidden' });
  });

  it('shows the form read-only at a task no rule is about, except what a "*" rule hides', () => {
    assert.deepEqual(fieldAccess(form(rules), { task: 'archive', roles: ['grid-worker'] }), { description: 'readOnly', photos: 'readOnly', verifyResult: 'readOnly', reporterIdNumber: 'hidden' });
    assert.deepEqual(fieldAccess(form([{ task: 'verify', fields: { photos: 'editable' } }]), { task: 'handle', roles: [] }), { description: 'readOnly', photos: 'readOnly', verifyResult: 'readOnly', reporterIdNumber: 'readOnly' });
  });
});
