/** Lints the processes of a package as they would be linted before a deploy. */
import { lintBpmn } from '../bpmn/lint-bpmn.ts';
import type { ProcessSource } from './check-processes.ts';
import type { Problems } from './problems.ts';

/** Adds every lint finding of every process (syntax errors are reported by the process checks). */
export async function lintProcesses(processes: ProcessSource[], boundTopics: ReadonlySet<string>, problems: Problems): Promise<void> {
  for (const p of processes) {
    for (const f of await lintBpmn(p.xml, { boundTopics, file: p.label })) {
      if (f.rule === 'bpmn-syntax') continue;
      const at = { file: p.label, position: f.line ? { line: f.line, column: f.column ?? 1 } : undefined };
      const params = { message: f.message, rule: f.rule };
      if (f.severity === 'error') problems.error('bpmn.rule', at, params);
      else problems.warn('bpmn.rule', at, params);
    }
  }
}
