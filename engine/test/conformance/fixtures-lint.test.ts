// The conformance fixtures are in GridFlow's BPMN dialect: what runs on the engines here is what
// GridFlow's lint lets through (forms and candidates on user tasks, external tasks with bound
// topics, the safe JUEL subset, no scripts, no Java, no decision tables).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { lintBpmn } from '../../src/index.ts';

const folders = [new URL('fixtures/', import.meta.url), new URL('../camunda/fixtures/', import.meta.url)];
const boundTopics = new Set(['cf.sendReminder', 'cf.verifyAddress']);

describe('conformance fixtures pass GridFlow\'s BPMN lint', () => {
  for (const folder of folders) {
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.bpmn')).sort()) {
      it(file, async () => {
        const findings = await lintBpmn(readFileSync(new URL(file, folder), 'utf8'), { boundTopics, file });
        assert.deepEqual(findings.map((f) => `${f.rule} ${f.elementId}: ${f.message.en}`), []);
      });
    }
  }
});
