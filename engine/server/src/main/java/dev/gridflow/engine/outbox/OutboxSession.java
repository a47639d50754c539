package dev.gridflow.engine.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.Set;

import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.cfg.TransactionState;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.CommandContext;
import org.operaton.bpm.engine.impl.interceptor.Session;
import org.operaton.bpm.engine.impl.interceptor.SessionFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes outbox rows for one engine command, on the command's own JDBC connection, so a row
 * commits or rolls back together with the engine state that caused it. One instance per command
 * context (an engine {@link Session}); after the first row it registers a COMMITTED listener
 * that wakes long-polling readers.
 */
public final class OutboxSession implements Session {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutboxSignal signal;
  private final Set<String> tasksWithCandidateChanges = new HashSet<>();
  private boolean commitListenerRegistered;

  OutboxSession(OutboxSignal signal) {
    this.signal = signal;
  }

  /** The session of the current command. */
  static OutboxSession current() {
    CommandContext commandContext = Context.getCommandContext();
    if (commandContext == null) {
      throw new IllegalStateException("GridFlow outbox: no engine command context");
    }
    return commandContext.getSession(OutboxSession.class);
  }

  /** Inserts the row now, inside the engine transaction; fails the command if it cannot. */
  void write(OutboxEvent event) {
    CommandContext commandContext = Context.getCommandContext();
    Connection connection = commandContext.getDbSqlSession().getSqlSession().getConnection();
    try (PreparedStatement ps = connection.prepareStatement(OutboxSchema.INSERT)) {
      ps.setString(1, event.type());
      ps.setString(2, OutboxSchema.sqlTimestamp(event.occurredAt()));
      setNullable(ps, 3, event.processInstanceId());
      setNullable(ps, 4, event.processDefinitionId());
      setNullable(ps, 5, event.processDefinitionKey());
      setNullable(ps, 6, event.businessKey());
      setNullable(ps, 7, event.tenantId());
      setNullable(ps, 8, event.taskId());
      setNullable(ps, 9, event.taskDefinitionKey());
      setNullable(ps, 10, event.activityId());
      ps.setString(11, JSON.writeValueAsString(event.payload()));
      ps.executeUpdate();
    } catch (SQLException | JsonProcessingException e) {
      throw new ProcessEngineException("GridFlow outbox: could not record " + event.type()
          + " for process instance " + event.processInstanceId() + ": " + e.getMessage(), e);
    }
    if (!commitListenerRegistered) {
      commitListenerRegistered = true;
      commandContext.getTransactionContext()
          .addTransactionListener(TransactionState.COMMITTED, cc -> signal.committed());
    }
  }

  /** Remembers that a task's candidate users/groups changed in this command. */
  void candidatesChanged(String taskId) {
    tasksWithCandidateChanges.add(taskId);
  }

  /** True (once) if the task's candidates changed in this command since the last call. */
  boolean takeCandidatesChanged(String taskId) {
    return tasksWithCandidateChanges.remove(taskId);
  }

  @Override
  public void flush() {
    // rows are written eagerly in write(); nothing buffered
  }

  @Override
  public void close() {
    tasksWithCandidateChanges.clear();
  }

  private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /** Opens one {@link OutboxSession} per command context. */
  static final class Factory implements SessionFactory {
    private final OutboxSignal signal;

    Factory(OutboxSignal signal) {
      this.signal = signal;
    }

    @Override
    public Class<?> getSessionType() {
      return OutboxSession.class;
    }

    @Override
    public Session openSession() {
      return new OutboxSession(signal);
    }
  }
}
