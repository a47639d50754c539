/** The case an external task of GridFlow's own topics works on. */
import type { TopicTask } from '@gridflow/engine';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The case a task works on: its business key, else its caseId variable. */
export function caseIdOf(task: TopicTask): string {
  const id = str(task.businessKey) ?? str(task.variables.caseId);
  if (!id) throw new Error(`External task ${task.id} (${task.topic}) has no case: no business key and no caseId variable`);
  return id;
}
