/** Cross-checks of processes and forms: BPMN well-formed, forms exist for every form key, forms' linkage and field rules. */
import type { Location, Problems } from './problems.ts';
import type { FormDefinition, Manifest } from './model.ts';
import { formKeyOf, outlineBpmn } from './bpmn-references.ts';
import { formSuffix } from './file-kinds.ts';
import { checkForm } from './check-forms.ts';
import type { Position } from './source-file.ts';

/** A process file of the resolved package with the label of the file it came from. */
export interface ProcessSource {
  label: string;
  xml: string;
}

/** A form of the resolved package with where it came from. */
export interface FormSource {
  label: string;
  path: string;
  form: FormDefinition;
  locate(pointer: string): Position | undefined;
}

/** Checks form keys (unique, match file names) and that every form a process names exists. */
export function checkProcessesAndForms(processes: ProcessSource[], forms: FormSource[], problems: Problems, roles: ReadonlySet<string> = new Set()): void {
  const formKeys = new Map<string, string>();
  for (const f of forms) {
    const expected = f.path.slice(f.path.lastIndexOf('/') + 1, -formSuffix.length);
    const at = { file: f.label, pointer: '/key', position: f.locate('/key') };
    if (f.form.key !== expected) problems.error('form.keyMismatch', at, { key: f.form.key, expected });
    const first = formKeys.get(f.form.key);
    if (first) problems.error('duplicate', at, { kind: { 'zh-CN': '表单', en: 'form' }, key: f.form.key, first });
    else formKeys.set(f.form.key, f.label);
  }
  const tasksOfForm = new Map<string, Set<string>>();
  for (const p of processes) {
    const outline = outlineBpmn(p.xml);
    if (outline.syntaxError) {
      const { line, column, message } = outline.syntaxError;
      problems.error('bpmn.syntax', { file: p.label, position: { line, column } }, { detail: message });
      continue;
    }
    if (outline.processIds.length === 0) problems.error('bpmn.noProcess', { file: p.label });
    for (const ref of outline.formReferences) {
      const key = formKeyOf(ref.formKey);
      tasksOfForm.set(key, (tasksOfForm.get(key) ?? new Set()).add(ref.elementId));
      if (!formKeys.has(key)) {
        const element = ref.elementName ? `${ref.elementId}（${ref.elementName}）` : ref.elementId;
        problems.error('ref.form', { file: p.label, position: { line: ref.line, column: ref.column } }, { element, form: key });
      }
    }
  }
  for (const f of forms) checkForm(f, tasksOfForm.get(f.form.key) ?? new Set(), roles, problems);
}

/** Checks that the manifest's intake process (when it names one) is a process of the package. */
export function checkIntakeProcess(manifest: Manifest, processes: ProcessSource[], problems: Problems, at: Location): void {
  if (!manifest.intakeProcess) return;
  const ids = processes.flatMap((p) => outlineBpmn(p.xml).processIds);
  if (!ids.includes(manifest.intakeProcess)) problems.error('ref.intakeProcess', at, { process: manifest.intakeProcess });
}
