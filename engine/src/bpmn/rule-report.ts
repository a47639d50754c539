/** How GridFlow's rules report: a message code and parameters, which lintBpmn words in both languages. */
import type { Report, Reporter } from 'bpmnlint/lib/types';
import type { LocalizedText } from '../i18n/localized-text.ts';
import { bpmnMessages } from './bpmn-messages.ts';
import type { BpmnMessageCode } from './bpmn-messages.ts';
import { owningElement } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

/** Parameters of a message; `{element}` is added by lintBpmn. */
export type MessageParams = Record<string, string | LocalizedText>;

/** What a GridFlow rule attaches to its bpmnlint report. */
export interface ProblemDetail {
  code: BpmnMessageCode;
  params: MessageParams;
}

/** Reports a problem on the element, or on its nearest ancestor with an id (for extension elements). */
export function reportProblem(reporter: Reporter, element: ModdleElement, code: BpmnMessageCode, params: MessageParams = {}): void {
  const detail: ProblemDetail = { code, params };
  reporter.report(owningElement(element)?.id ?? '', code, { ...detail });
}

/** The detail reportProblem attached to a report, if it came from a GridFlow rule. */
export function problemDetailOf(report: Report): ProblemDetail | undefined {
  const code: unknown = report.code;
  if (typeof code !== 'string' || !(code in bpmnMessages)) return undefined;
  return { code: code as BpmnMessageCode, params: (report.params ?? {}) as MessageParams };
}
