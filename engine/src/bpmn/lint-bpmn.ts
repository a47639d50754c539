/**
 * Lints a BPMN file before deploy: parses it in the Camunda 7 dialect and runs the chosen bpmnlint
 * recommended rules plus GridFlow's rules, reporting every problem at once.
 */
import { BpmnModdle } from 'bpmn-moddle';
import type { ModdleImportResult } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import camundaPackage from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { sortFindings } from './bpmn-finding.ts';
import type { BpmnFinding, LintBpmnOptions } from './bpmn-finding.ts';
import { scanElementPositions } from './element-positions.ts';
import { FindingFactory } from './finding-factory.ts';
import { gridflowResolver, gridflowRulePrefix, lintConfig } from './lint-config.ts';
import { isModdleElement } from './moddle-element.ts';

/**
 * Every problem of a BPMN file: malformed XML gives one `bpmn-syntax` finding; otherwise import
 * problems (`bpmn-schema`) and the findings of every rule, ordered by position.
 */
export async function lintBpmn(xml: string, options: LintBpmnOptions): Promise<BpmnFinding[]> {
  const positions = scanElementPositions(xml, options.file);
  const findings = new FindingFactory({}, positions, options.file);
  if (positions.syntaxError) {
    const { detail, ...at } = positions.syntaxError;
    return [findings.coded('bpmn-syntax', 'error', '', 'syntax.malformed', { detail }, at)];
  }
  let imported: ModdleImportResult;
  try {
    imported = await new BpmnModdle({ camunda: camundaPackage }).fromXML(xml);
  } catch (e) {
    return [findings.coded('bpmn-syntax', 'error', '', 'syntax.notBpmn', { detail: (e as Error).message.split('\n')[0] }, positions.root)];
  }
  const factory = new FindingFactory(imported.elementsById, positions, options.file);
  const result = imported.warnings.map((warning) => factory.fromImportWarning(warning));
  // bpmn-moddle creates many-valued properties on first `get`; bpmnlint's `global` rule reads
  // `rootElements` directly and fails on a file without any, so create the (empty) list first.
  if (isModdleElement(imported.rootElement)) imported.rootElement.get('rootElements');
  linkFlowNodes(imported.elementsById);
  const reports = await new Linter({ resolver: gridflowResolver }).lint(imported.rootElement, lintConfig(options));
  for (const [name, list] of Object.entries(reports)) {
    const rule = name.startsWith(gridflowRulePrefix) ? name.slice(gridflowRulePrefix.length) : name;
    for (const report of list) result.push(factory.fromReport(rule, report));
  }
  return sortFindings(result);
}

/**
 * `<incoming>` / `<outgoing>` children are optional in BPMN XML (the engine ignores them; Camunda
 * Modeler writes them, hand-written files often do not). bpmnlint's rules read them, so derive them
 * from the sequence flows where they are missing.
 */
function linkFlowNodes(elementsById: Record<string, unknown>): void {
  for (const element of Object.values(elementsById)) {
    if (!isModdleElement(element) || element.$type !== 'bpmn:SequenceFlow') continue;
    const source = element.get('sourceRef') as unknown;
    const target = element.get('targetRef') as unknown;
    if (isModdleElement(source)) addOnce(source.get('outgoing') as unknown[], element);
    if (isModdleElement(target)) addOnce(target.get('incoming') as unknown[], element);
  }
}

function addOnce(list: unknown[], flow: unknown): void {
  if (Array.isArray(list) && !list.includes(flow)) list.push(flow);
}
