/**
 * user-task-form-and-candidates: every user task names a form GridFlow knows (`gridflow:form:<key>`
 * or the bare key) and says who may do it (assignee, candidate users or candidate groups).
 */
import type { Reporter, RuleDefinition } from 'bpmnlint/lib/types';
import { is, textOf } from '../moddle-element.ts';
import type { ModdleElement } from '../moddle-element.ts';
import { reportProblem } from '../rule-report.ts';

/** The known form keys; without them only the presence of a form is checked. */
export interface UserTaskOptions {
  formKeys?: ReadonlySet<string> | undefined;
}

const formKeyPrefix = 'gridflow:form:';
const peopleAttributes = ['camunda:assignee', 'camunda:candidateUsers', 'camunda:candidateGroups'];

/** Creates the rule for the given known forms. */
export function userTaskFormAndCandidatesRule(options: UserTaskOptions): RuleDefinition {
  return {
    check: (node: ModdleElement, reporter: Reporter) => {
      if (!is(node, 'bpmn:UserTask')) return;
      const formKey = textOf(node, 'camunda:formKey')?.trim();
      if (formKey === undefined) reportProblem(reporter, node, 'userTask.noForm');
      else if (options.formKeys && !options.formKeys.has(formKeyName(formKey))) {
        reportProblem(reporter, node, 'userTask.unknownForm', { form: formKey });
      }
      if (!peopleAttributes.some((attribute) => textOf(node, attribute) !== undefined)) {
        reportProblem(reporter, node, 'userTask.noCandidates');
      }
    },
  };
}

/** The form key named by `gridflow:form:<key>` or a bare `<key>`. */
function formKeyName(formKey: string): string {
  return formKey.startsWith(formKeyPrefix) ? formKey.slice(formKeyPrefix.length) : formKey;
}
