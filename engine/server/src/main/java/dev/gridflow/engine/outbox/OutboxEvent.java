package dev.gridflow.engine.outbox;

import java.util.Date;
import java.util.Map;

/**
 * One outbox row before it is written. Event types follow {@code noun.pastTense}:
 * task.created, task.assigned, task.updated, task.completed, task.deleted,
 * instance.started, instance.ended, incident.created, incident.resolved.
 */
public record OutboxEvent(
    String type,
    Date occurredAt,
    String processInstanceId,
    String processDefinitionId,
    String processDefinitionKey,
    String businessKey,
    String tenantId,
    String taskId,
    String taskDefinitionKey,
    String activityId,
    Map<String, Object> payload) {
}
