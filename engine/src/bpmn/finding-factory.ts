/** Turns bpmnlint reports and bpmn-moddle import warnings into findings with element, position and wording. */
import type { ModdleImportWarning } from 'bpmn-moddle';
import type { LintReport } from 'bpmnlint';
import { format } from '../i18n/localized-text.ts';
import type { LocalizedText } from '../i18n/localized-text.ts';
import type { BpmnFinding } from './bpmn-finding.ts';
import { bpmnMessages } from './bpmn-messages.ts';
import type { BpmnMessageCode } from './bpmn-messages.ts';
import { describeElement, elementName } from './element-label.ts';
import type { ElementPositions, XmlPosition } from './element-positions.ts';
import { isModdleElement, owningElement } from './moddle-element.ts';
import { wordRecommendedReport } from './recommended-messages.ts';
import { problemDetailOf } from './rule-report.ts';

const severities: Record<LintReport['category'], BpmnFinding['severity']> = { 'error': 'error', 'warn': 'warning', 'info': 'warning', 'rule-error': 'error' };

/** Builds findings for one BPMN file. */
export class FindingFactory {
  constructor(
    private readonly elementsById: Readonly<Record<string, unknown>>,
    private readonly positions: ElementPositions,
    private readonly file: string | undefined,
  ) {}

  /** A finding on an element (or on the file when the id is empty), worded from a template. */
  finding(rule: string, severity: BpmnFinding['severity'], elementId: string, template: LocalizedText, params: Record<string, unknown> = {}, at?: XmlPosition): BpmnFinding {
    const element = this.elementsById[elementId];
    const moddleElement = isModdleElement(element) ? element : undefined;
    const finding: BpmnFinding = { rule, severity, elementId, message: format(template, { ...params, element: describeElement(moddleElement, elementId) }) };
    const name = elementName(moddleElement);
    if (name) finding.elementName = name;
    const position = at ?? this.positions.byId.get(elementId);
    if (position) Object.assign(finding, { line: position.line, column: position.column });
    if (this.file !== undefined) finding.file = this.file;
    return finding;
  }

  /** A finding from a coded GridFlow message. */
  coded(rule: string, severity: BpmnFinding['severity'], elementId: string, code: BpmnMessageCode, params: Record<string, unknown> = {}, at?: XmlPosition): BpmnFinding {
    return this.finding(rule, severity, elementId, bpmnMessages[code], params, at);
  }

  /** A finding from a bpmnlint report of a GridFlow rule or a recommended rule. */
  fromReport(rule: string, report: LintReport): BpmnFinding {
    const severity = severities[report.category];
    const elementId = report.id ?? '';
    if (report.category === 'rule-error') return this.coded(rule, severity, elementId, 'lint.ruleFailed', { rule, detail: report.message });
    const detail = problemDetailOf(report);
    if (detail) return this.coded(rule, severity, elementId, detail.code, detail.params);
    const worded = wordRecommendedReport(rule, report.message);
    if (worded) return this.finding(rule, severity, elementId, worded.message, worded.params);
    return this.coded(rule, severity, elementId, 'lint.unknownMessage', { rule, detail: report.message });
  }

  /** A finding from a bpmn-moddle import warning (unknown elements and attributes, duplicate ids, broken references). */
  fromImportWarning(warning: ModdleImportWarning): BpmnFinding {
    const owner = isModdleElement(warning.element) ? owningElement(warning.element) : undefined;
    const elementId = owner?.id ?? '';
    const unparsable = /^unparsable content <(?<tag>[^>]*)> detected[\s\S]*?line: (?<line>\d+)\s+column: (?<column>\d+)\s+nested error: (?<nested>[\s\S]*)$/.exec(warning.message)?.groups;
    if (unparsable) {
      // bpmn-moddle counts lines and columns from 0.
      const at = { line: Number(unparsable.line) + 1, column: Number(unparsable.column) + 1 };
      const duplicate = /duplicate ID <(?<id>[^>]*)>/.exec(unparsable.nested ?? '')?.groups;
      if (duplicate) return this.coded('bpmn-schema', 'error', duplicate.id ?? '', 'schema.duplicateId', { id: duplicate.id }, at);
      const idThere = this.idAt(at);
      if (/unknown type|unrecognized element/.test(unparsable.nested ?? '')) return this.coded('bpmn-schema', 'error', idThere, 'schema.unknownElement', { tag: unparsable.tag }, at);
      return this.coded('bpmn-schema', 'error', idThere, 'schema.other', { detail: unparsable.nested }, at);
    }
    const reference = /^unresolved reference <(?<ref>[^>]*)>/.exec(warning.message)?.groups;
    if (reference) return this.coded('bpmn-schema', 'error', elementId, 'schema.unresolvedReference', { ref: reference.ref });
    const attribute = /^unknown attribute <(?<attribute>[^>]*)>/.exec(warning.message)?.groups;
    if (attribute) return this.coded('bpmn-schema', 'warning', elementId, 'schema.unknownAttribute', { attribute: attribute.attribute });
    return this.coded('bpmn-schema', 'error', elementId, 'schema.other', { detail: warning.message.split('\n')[0] });
  }

  /** The id of the element whose start tag is at the position (elements bpmn-moddle dropped have no model). */
  private idAt(at: XmlPosition): string {
    for (const [id, position] of this.positions.byId) {
      if (position.line === at.line && position.column === at.column) return id;
    }
    return '';
  }
}
