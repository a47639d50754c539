/**
 * When a department reported in, as the engine recorded it: the end of its report-in task. Each
 * report-in task holds a task-local copy of its department (`whistleDepartment`), so the history of
 * the department's task is told apart from the other departments' in the same whistle.
 */
import { parseEngineDate, WHISTLE_STEPS, WHISTLE_VARIABLES } from '@gridflow/engine';
import type { EngineClient } from '@gridflow/engine';

/** The time the department's report-in task was completed, or undefined when the engine has none. */
export async function reportedInAt(engine: EngineClient, processInstanceId: string, department: string): Promise<Date | undefined> {
  const { data, error } = await engine.rest.GET('/history/variable-instance', {
    params: { query: { processInstanceId, variableName: WHISTLE_VARIABLES.reportingDepartment } },
  });
  if (error || !data) throw new Error(`Could not read the report-in history of ${processInstanceId}`);
  const mine = new Set(data.filter((v) => v.value === department).map((v) => v.activityInstanceId));
  const done = await engine.history.activityInstances(processInstanceId, { activityId: WHISTLE_STEPS.reportIn, finished: true });
  const ends = done.filter((a) => a.id && mine.has(a.id) && a.endTime && !a.canceled).map((a) => parseEngineDate(String(a.endTime)).getTime());
  return ends.length > 0 ? new Date(Math.max(...ends)) : undefined;
}
