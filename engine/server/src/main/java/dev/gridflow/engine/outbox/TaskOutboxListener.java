package dev.gridflow.engine.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.db.DbEntity;
import org.operaton.bpm.engine.impl.db.entitymanager.cache.DbEntityCache;
import org.operaton.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.operaton.bpm.engine.impl.persistence.entity.PropertyChange;
import org.operaton.bpm.engine.impl.persistence.entity.TaskEntity;
import org.operaton.bpm.engine.impl.task.TaskDefinition;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.operaton.bpm.engine.task.IdentityLink;

/**
 * Built-in listener on every BPMN user task (added by {@link OutboxParseListener}): turns the
 * task lifecycle events into outbox rows. Built-in listeners also run when an instance is
 * cancelled with skipCustomListeners=true, so no deletion is missed.
 */
final class TaskOutboxListener implements TaskListener {

  static final TaskOutboxListener INSTANCE = new TaskOutboxListener();

  /** The task events this listener is registered for. */
  static final List<String> EVENTS = List.of(EVENTNAME_CREATE, EVENTNAME_ASSIGNMENT, EVENTNAME_UPDATE,
      EVENTNAME_COMPLETE, EVENTNAME_DELETE);

  private TaskOutboxListener() {
  }

  @Override
  public void notify(DelegateTask task) {
    OutboxSession session = OutboxSession.current();
    switch (task.getEventName()) {
      case EVENTNAME_CREATE -> {
        session.takeCandidatesChanged(task.getId()); // candidates set during creation are in the snapshot
        session.write(event("task.created", task, snapshot(task)));
      }
      case EVENTNAME_ASSIGNMENT -> {
        Map<String, Object> payload = snapshot(task);
        PropertyChange change = propertyChanges(task).get(TaskEntity.ASSIGNEE);
        payload.put("previousAssignee", change != null ? change.getOrgValueString() : null);
        session.write(event("task.assigned", task, payload));
      }
      case EVENTNAME_UPDATE -> updated(session, task);
      case EVENTNAME_COMPLETE -> {
        Map<String, Object> payload = snapshot(task);
        payload.put("deleteReason", TaskEntity.DELETE_REASON_COMPLETED);
        session.write(event("task.completed", task, payload));
      }
      case EVENTNAME_DELETE -> {
        Map<String, Object> payload = snapshot(task);
        payload.put("deleteReason", task.getDeleteReason());
        session.write(event("task.deleted", task, payload));
      }
      default -> {
        // not registered for other events
      }
    }
  }

  /**
   * The engine fires "update" for any task change, including variables and comments; only
   * changes of task properties other than the assignee (which has task.assigned) or of the
   * candidates make a task.updated row.
   */
  private static void updated(OutboxSession session, DelegateTask task) {
    List<String> changes = new ArrayList<>(new TreeSet<>(propertyChanges(task).keySet()));
    changes.remove(TaskEntity.DELETE);
    if (session.takeCandidatesChanged(task.getId())) {
      changes.add("candidates");
    }
    if (changes.isEmpty() || changes.equals(List.of(TaskEntity.ASSIGNEE))) {
      return;
    }
    Map<String, Object> payload = snapshot(task);
    payload.put("changes", changes);
    session.write(event("task.updated", task, payload));
  }

  private static OutboxEvent event(String type, DelegateTask task, Map<String, Object> payload) {
    DelegateExecution execution = task.getExecution();
    return new OutboxEvent(type, ClockUtil.getCurrentTime(), task.getProcessInstanceId(),
        task.getProcessDefinitionId(), processDefinitionKey(task),
        execution != null ? execution.getProcessBusinessKey() : null, task.getTenantId(), task.getId(),
        task.getTaskDefinitionKey(), task.getTaskDefinitionKey(), payload);
  }

  /** The task as it is now, including its current candidate groups and users. */
  private static Map<String, Object> snapshot(DelegateTask task) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", task.getName());
    p.put("description", task.getDescription());
    p.put("assignee", task.getAssignee());
    p.put("owner", task.getOwner());
    TreeSet<String> groups = new TreeSet<>();
    TreeSet<String> users = new TreeSet<>();
    collectCandidates(task, groups, users);
    p.put("candidateGroups", new ArrayList<>(groups));
    p.put("candidateUsers", new ArrayList<>(users));
    p.put("dueDate", Iso.format(task.getDueDate()));
    p.put("followUpDate", Iso.format(task.getFollowUpDate()));
    p.put("priority", task.getPriority());
    p.put("formKey", formKey(task));
    p.put("createTime", Iso.format(task.getCreateTime()));
    p.put("executionId", task.getExecutionId());
    if (task instanceof TaskEntity entity) {
      p.put("delegationState", entity.getDelegationStateString());
      p.put("parentTaskId", entity.getParentTaskId());
    }
    return p;
  }

  /** Candidates from the task's identity links, minus links deleted earlier in this command. */
  private static void collectCandidates(DelegateTask task, TreeSet<String> groups, TreeSet<String> users) {
    DbEntityCache cache = Context.getCommandContext().getDbEntityManager().getDbEntityCache();
    for (IdentityLink link : task.getCandidates()) {
      if (link instanceof DbEntity entity && cache.isDeleted(entity)) {
        continue;
      }
      if (link.getGroupId() != null) {
        groups.add(link.getGroupId());
      }
      if (link.getUserId() != null) {
        users.add(link.getUserId());
      }
    }
  }

  private static Map<String, PropertyChange> propertyChanges(DelegateTask task) {
    return task instanceof TaskEntity entity ? entity.getPropertyChanges() : Map.of();
  }

  private static String processDefinitionKey(DelegateTask task) {
    if (task instanceof TaskEntity entity && entity.getProcessDefinitionId() != null) {
      ProcessDefinitionEntity definition = entity.getProcessDefinition();
      return definition != null ? definition.getKey() : null;
    }
    return null;
  }

  /** The evaluated form key; its expression text if it cannot be evaluated now. */
  private static String formKey(DelegateTask task) {
    if (!(task instanceof TaskEntity entity)) {
      return null;
    }
    try {
      entity.initializeFormKey();
      return entity.getFormKey();
    } catch (RuntimeException e) {
      TaskDefinition definition = entity.getTaskDefinition();
      return definition != null && definition.getFormKey() != null
          ? definition.getFormKey().getExpressionText() : null;
    }
  }
}
