/** What BPMN linting reports: every problem with its rule, element, position and message. */
import type { LocalizedText } from '../i18n/localized-text.ts';

/** One problem found in a BPMN file. */
export interface BpmnFinding {
  /** A GridFlow rule (`no-script-task`, ...), a bpmnlint rule (`no-disconnected`, ...), `bpmn-syntax` or `bpmn-schema`. */
  rule: string;
  severity: 'error' | 'warning';
  /** Id of the element concerned; empty for a problem of the file as a whole. */
  elementId: string;
  elementName?: string;
  /** 1-based position of the element's start tag (or of the syntax error). */
  line?: number;
  column?: number;
  message: LocalizedText;
  /** The file, when lintBpmn was told its name. */
  file?: string;
}

/** What lintBpmn checks against. */
export interface LintBpmnOptions {
  /** Topics that plugins bind handlers to; every external task's topic must be one of them. */
  boundTopics: ReadonlySet<string>;
  /** Known form keys; when given, every user task's form must be one of them. */
  formKeys?: ReadonlySet<string>;
  /** The file's name, copied into findings and syntax messages. */
  file?: string;
}

/** Orders findings by position, then rule and element, so reports are stable. */
export function sortFindings(findings: readonly BpmnFinding[]): BpmnFinding[] {
  return [...findings].sort((a, b) =>
    (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
    || a.rule.localeCompare(b.rule) || a.elementId.localeCompare(b.elementId));
}
