/**
 * The shapes of deployed process definitions (what task operations and clock timers check against).
 * A definition id names one immutable deployment, so a shape read once is kept for the process.
 */
import { loadProcessShape } from '@gridflow/engine';
import type { ProcessShape } from '@gridflow/engine';

const shapes = new Map<string, Promise<ProcessShape>>();

/** The shape of a definition; `readXml` fetches its BPMN from the engine the first time. */
export function processShape(definitionId: string, readXml: () => Promise<string>): Promise<ProcessShape> {
  let shape = shapes.get(definitionId);
  if (!shape) {
    shape = readXml().then((xml) => loadProcessShape(xml, definitionId.split(':')[0]));
    shape.catch(() => shapes.delete(definitionId));
    shapes.set(definitionId, shape);
  }
  return shape;
}
