/** An event of the engine's transactional outbox (engine/server, GET /gridflow/outbox). */
export interface OutboxEvent {
  id: number;
  type: 'task.created' | 'task.assigned' | 'task.updated' | 'task.completed' | 'task.deleted'
    | 'instance.started' | 'instance.ended' | 'incident.created' | 'incident.resolved';
  occurredAt: string;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  businessKey: string | null;
  tenantId: string | null;
  taskId: string | null;
  taskDefinitionKey: string | null;
  activityId: string | null;
  payload: Record<string, unknown>;
}
