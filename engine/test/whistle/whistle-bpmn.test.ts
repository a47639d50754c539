/**
 * The whistle process generator: the standard template gives a process that lints clean (bpmnlint
 * recommended + GridFlow's rules with the whistle topics and forms), has a diagram element for every
 * flow element, writes each kind's escalation rules into the gateway, and is byte-for-byte
 * deterministic.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BpmnModdle } from 'bpmn-moddle';
import camundaPackage from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { standardPackageDir } from '@gridflow/definitions';
import { escalationCondition, generateWhistleBpmn, lintBpmn, WHISTLE_FORMS, WHISTLE_TOPICS } from '../../src/index.ts';
import type { WhistleKind, WhistleTemplate } from '../../src/index.ts';

const standard = parse(readFileSync(join(standardPackageDir, 'whistles.yaml'), 'utf8')) as WhistleTemplate;
const lint = (xml: string) => lintBpmn(xml, { boundTopics: new Set(Object.values(WHISTLE_TOPICS)), formKeys: new Set(Object.values(WHISTLE_FORMS)), file: 'whistle.bpmn' });
const kind = (code: string, escalate: WhistleKind['escalate']): WhistleKind => ({ code, name: code, reportInMinutes: 30, handleWithin: { type: 'workDays', amount: 5 }, escalate });

interface Element { $type: string; id: string; flowElements?: Element[] }
interface DiElement { bpmnElement?: { id: string } }

/** Every flow element (sub-processes included) and the ids the diagram draws. */
async function elementsAndDiagram(xml: string): Promise<{ ids: string[]; drawn: Set<string>; warnings: unknown[] }> {
  const { rootElement, warnings } = await new BpmnModdle({ camunda: camundaPackage }).fromXML(xml) as unknown as {
    rootElement: { rootElements: Element[]; diagrams: { plane: { planeElement: DiElement[] } }[] }; warnings: unknown[];
  };
  const process = rootElement.rootElements.find((e) => e.$type === 'bpmn:Process') as Element;
  const ids: string[] = [];
  const walk = (list: Element[] = []) => { for (const e of list) { ids.push(e.id); walk(e.flowElements); } };
  walk(process.flowElements);
  const drawn = new Set(rootElement.diagrams.flatMap((d) => d.plane.planeElement.map((p) => p.bpmnElement?.id ?? '')));
  return { ids, drawn, warnings };
}

describe('whistle process generator', () => {
  it('gives a process from the standard template that lints clean', async () => {
    assert.deepEqual(await lint(generateWhistleBpmn(standard)), []);
  });

  it('draws every flow element, so the process opens in bpmn-js as it runs', async () => {
    const { ids, drawn, warnings } = await elementsAndDiagram(generateWhistleBpmn(standard));
    assert.deepEqual(warnings, []);
    assert.ok(ids.length > 30, `the process has its steps (${ids.length})`);
    assert.deepEqual(ids.filter((id) => !drawn.has(id)), [], 'every flow element has a shape or an edge');
  });

  it('is deterministic: the same template gives the same bytes, a changed template different ones', () => {
    const again = structuredClone(standard);
    assert.equal(generateWhistleBpmn(standard), generateWhistleBpmn(again));
    again.kinds[0]!.reportInMinutes = 20;
    assert.notEqual(generateWhistleBpmn(again), generateWhistleBpmn(standard), 'the documentation states each kind\'s deadline');
  });

  it('writes each kind of the template into the escalation gateway by its rules', () => {
    const xml = generateWhistleBpmn(standard);
    for (const k of standard.kinds) assert.ok(xml.includes(`（${k.code}）：${k.reportInMinutes} 分钟内报到`), `kind ${k.code} is documented`);
    assert.equal(
      escalationCondition([kind('daily', { unresolved: true, overdue: false }), kind('tough', { unresolved: true, overdue: true }), kind('quiet', { unresolved: false, overdue: false }), kind('late', { unresolved: false, overdue: true })]),
      "${(whistleKind == 'daily' && !whistleResolved) || (whistleKind == 'tough' && (!whistleResolved || whistleOverdue)) || (whistleKind == 'late' && whistleOverdue)}",
    );
    assert.ok(xml.includes("(whistleKind == 'emergency' &amp;&amp; (!whistleResolved || whistleOverdue))"), 'the standard emergency whistle escalates when unresolved or overdue');
  });

  it('leaves out the district when no kind escalates, and still lints clean', async () => {
    const template: WhistleTemplate = { kinds: [kind('daily', { unresolved: false, overdue: false })] };
    const xml = generateWhistleBpmn(template);
    assert.equal(escalationCondition(template.kinds), undefined);
    assert.ok(!xml.includes('districtCoordinate') && !xml.includes('escalationGateway'));
    assert.deepEqual(await lint(xml), []);
    const { ids, drawn } = await elementsAndDiagram(xml);
    assert.deepEqual(ids.filter((id) => !drawn.has(id)), []);
  });

  it('summons each department in its own instance, with a non-interrupting timer on its report-in at reportInDueAt', () => {
    const xml = generateWhistleBpmn(standard);
    assert.match(xml, /<bpmn:multiInstanceLoopCharacteristics camunda:collection="\$\{departments\}" camunda:elementVariable="department" \/>/);
    assert.match(xml, /<bpmn:boundaryEvent id="reportInLate" name="报到超时" cancelActivity="false" attachedToRef="reportIn">[\s\S]*?\$\{reportInDueAt\}/);
    assert.match(xml, /camunda:topic="gridflow\.whistle\.late"/);
    assert.match(xml, /id="reportIn"[^>]*camunda:candidateGroups="dept:\$\{department\}"/);
  });
});
