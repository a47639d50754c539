package dev.gridflow.engine.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.history.event.HistoricIdentityLinkLogEventEntity;
import org.operaton.bpm.engine.impl.history.event.HistoricIncidentEventEntity;
import org.operaton.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.operaton.bpm.engine.impl.history.event.HistoryEvent;
import org.operaton.bpm.engine.impl.history.event.HistoryEventTypes;
import org.operaton.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.operaton.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.operaton.bpm.engine.task.IdentityLinkType;

/**
 * Runs next to the engine's own database history handler (history level full) and turns
 * process instance start/end and incident create/resolve/delete into outbox rows. Candidate
 * changes (identity link history) are only noted, for {@link TaskOutboxListener}'s task.updated.
 * Must not be a Spring bean: the Spring Boot starter would use it to replace the DB handler.
 */
final class OutboxHistoryEventHandler implements HistoryEventHandler {

  @Override
  public void handleEvent(HistoryEvent event) {
    if (event instanceof HistoricProcessInstanceEventEntity instance) {
      processInstance(instance);
    } else if (event instanceof HistoricIncidentEventEntity incident) {
      incident(incident);
    } else if (event instanceof HistoricIdentityLinkLogEventEntity link
        && link.getTaskId() != null && IdentityLinkType.CANDIDATE.equals(link.getType())) {
      OutboxSession.current().candidatesChanged(link.getTaskId());
    }
  }

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    for (HistoryEvent event : events) {
      handleEvent(event);
    }
  }

  private static void processInstance(HistoricProcessInstanceEventEntity e) {
    String type;
    String activityId;
    Map<String, Object> p = new LinkedHashMap<>();
    if (is(e, HistoryEventTypes.PROCESS_INSTANCE_START)) {
      type = "instance.started";
      activityId = e.getStartActivityId();
      p.put("startActivityId", e.getStartActivityId());
      p.put("startUserId", e.getStartUserId());
      p.put("startTime", Iso.format(e.getStartTime()));
    } else if (is(e, HistoryEventTypes.PROCESS_INSTANCE_END)) {
      type = "instance.ended";
      activityId = e.getEndActivityId();
      p.put("endActivityId", e.getEndActivityId());
      p.put("state", e.getState());
      p.put("deleteReason", e.getDeleteReason());
      p.put("endTime", Iso.format(e.getEndTime()));
    } else {
      return; // update / migrate: not part of the outbox contract
    }
    p.put("processDefinitionName", e.getProcessDefinitionName());
    p.put("processDefinitionVersion", e.getProcessDefinitionVersion());
    p.put("superProcessInstanceId", e.getSuperProcessInstanceId());
    p.put("rootProcessInstanceId", e.getRootProcessInstanceId());
    OutboxSession.current().write(new OutboxEvent(type, ClockUtil.getCurrentTime(), e.getProcessInstanceId(),
        e.getProcessDefinitionId(), e.getProcessDefinitionKey(), e.getBusinessKey(), e.getTenantId(),
        null, null, activityId, p));
  }

  private static void incident(HistoricIncidentEventEntity e) {
    String type;
    String resolution = null;
    if (is(e, HistoryEventTypes.INCIDENT_CREATE)) {
      type = "incident.created";
    } else if (is(e, HistoryEventTypes.INCIDENT_RESOLVE)) {
      type = "incident.resolved";
      resolution = "resolved";
    } else if (is(e, HistoryEventTypes.INCIDENT_DELETE)) {
      type = "incident.resolved"; // removed with its instance or job: gone all the same
      resolution = "deleted";
    } else {
      return; // update (annotation) / migrate
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("incidentId", e.getId());
    p.put("incidentType", e.getIncidentType());
    p.put("incidentMessage", e.getIncidentMessage());
    p.put("activityId", e.getActivityId());
    p.put("failedActivityId", e.getFailedActivityId());
    p.put("executionId", e.getExecutionId());
    p.put("configuration", e.getConfiguration());
    p.put("jobDefinitionId", e.getJobDefinitionId());
    p.put("causeIncidentId", e.getCauseIncidentId());
    p.put("rootCauseIncidentId", e.getRootCauseIncidentId());
    p.put("createTime", Iso.format(e.getCreateTime()));
    p.put("endTime", Iso.format(e.getEndTime()));
    if (resolution != null) {
      p.put("resolution", resolution);
    }
    OutboxSession.current().write(new OutboxEvent(type, ClockUtil.getCurrentTime(), e.getProcessInstanceId(),
        e.getProcessDefinitionId(), e.getProcessDefinitionKey(), businessKey(e.getProcessInstanceId()),
        e.getTenantId(), null, null, e.getActivityId(), p));
  }

  private static boolean is(HistoryEvent event, HistoryEventTypes type) {
    return type.getEventName().equals(event.getEventType());
  }

  /** The instance's business key (incident history does not carry it); usually cached already. */
  private static String businessKey(String processInstanceId) {
    if (processInstanceId == null) {
      return null;
    }
    ExecutionEntity instance = Context.getCommandContext().getExecutionManager().findExecutionById(processInstanceId);
    return instance != null ? instance.getBusinessKey() : null;
  }
}
