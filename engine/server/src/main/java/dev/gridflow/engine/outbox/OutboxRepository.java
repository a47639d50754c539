package dev.gridflow.engine.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads and acknowledges (deletes) outbox rows; plain JDBC on the engine's data source. */
@Repository
public class OutboxRepository {

  private static final int ACK_CHUNK = 500;

  private static final String SELECT_OLDEST = "SELECT ID, EVENT_TYPE, OCCURRED_AT, PROC_INST_ID, PROC_DEF_ID,"
      + " PROC_DEF_KEY, BUSINESS_KEY, TENANT_ID, TASK_ID, TASK_DEF_KEY, ACTIVITY_ID, PAYLOAD FROM "
      + OutboxSchema.TABLE + " ORDER BY ID LIMIT ?";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  public OutboxRepository(DataSource dataSource, ObjectMapper json) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.json = json;
  }

  /** The oldest rows in ID order, as the JSON objects the REST API returns. */
  public List<Map<String, Object>> oldest(int limit) {
    return jdbc.query(SELECT_OLDEST, (rs, n) -> toJson(rs), limit);
  }

  /** Deletes the given rows; unknown ids are ignored. Returns how many rows were deleted. */
  public int acknowledge(List<Long> ids) {
    int deleted = 0;
    for (int from = 0; from < ids.size(); from += ACK_CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + ACK_CHUNK));
      String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
      deleted += jdbc.update("DELETE FROM " + OutboxSchema.TABLE + " WHERE ID IN (" + marks + ")", chunk.toArray());
    }
    return deleted;
  }

  /** {pending, oldestId}. */
  public Map<String, Object> stats() {
    return jdbc.queryForObject("SELECT COUNT(*), MIN(ID) FROM " + OutboxSchema.TABLE, (rs, n) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pending", rs.getLong(1));
      long oldest = rs.getLong(2);
      m.put("oldestId", rs.wasNull() ? null : oldest);
      return m;
    });
  }

  private Map<String, Object> toJson(ResultSet rs) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", rs.getLong("ID"));
    row.put("type", rs.getString("EVENT_TYPE"));
    LocalDateTime occurred = rs.getObject("OCCURRED_AT", LocalDateTime.class);
    row.put("occurredAt", occurred == null ? null : Iso.format(occurred.toInstant(ZoneOffset.UTC)));
    row.put("processInstanceId", rs.getString("PROC_INST_ID"));
    row.put("processDefinitionId", rs.getString("PROC_DEF_ID"));
    row.put("processDefinitionKey", rs.getString("PROC_DEF_KEY"));
    row.put("businessKey", rs.getString("BUSINESS_KEY"));
    row.put("tenantId", rs.getString("TENANT_ID"));
    row.put("taskId", rs.getString("TASK_ID"));
    row.put("taskDefinitionKey", rs.getString("TASK_DEF_KEY"));
    row.put("activityId", rs.getString("ACTIVITY_ID"));
    row.put("payload", parse(rs.getString("PAYLOAD")));
    return row;
  }

  private JsonNode parse(String payload) {
    if (payload == null) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(payload);
    } catch (JsonProcessingException e) {
      return json.createObjectNode().put("unparsable", payload);
    }
  }
}
