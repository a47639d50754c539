package dev.gridflow.engine.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.gridflow.engine.EngineSettings;

/**
 * The outbox REST API (behind the secret like everything but /gridflow/health):
 * GET /gridflow/outbox (long-poll), POST /gridflow/outbox/ack, GET /gridflow/outbox/stats.
 */
@RestController
@RequestMapping(path = "/gridflow/outbox", produces = "application/json")
public class OutboxController {

  static final int MAX_LIMIT = 5000;
  static final long MAX_WAIT_MS = 25_000;
  static final int MAX_ACK_IDS = 10_000;

  private final OutboxRepository repository;
  private final OutboxSignal signal;
  private final long pollFallbackMs;

  public OutboxController(OutboxRepository repository, OutboxSignal signal, EngineSettings settings) {
    this.repository = repository;
    this.signal = signal;
    this.pollFallbackMs = Math.max(50, settings.pollFallbackMs());
  }

  /**
   * The oldest unacknowledged rows in ID order. With waitMs &gt; 0 and nothing pending, waits until
   * a local engine transaction commits new rows (or every pollFallbackMs re-checks, for rows
   * written by other engine nodes on a shared database) and returns [] when the wait ends.
   */
  @GetMapping
  public List<Map<String, Object>> read(@RequestParam(defaultValue = "500") int limit,
      @RequestParam(defaultValue = "0") long waitMs) throws InterruptedException {
    int max = Math.min(Math.max(limit, 1), MAX_LIMIT);
    long wait = Math.min(Math.max(waitMs, 0), MAX_WAIT_MS);
    long deadline = System.nanoTime() + wait * 1_000_000L;
    while (true) {
      long seen = signal.version();
      List<Map<String, Object>> rows = repository.oldest(max);
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (!rows.isEmpty() || leftMs <= 0 || !signal.open()) {
        return rows;
      }
      signal.awaitChange(seen, Math.min(leftMs, pollFallbackMs));
    }
  }

  /** Deletes the given rows; idempotent, unknown ids are ignored. */
  @PostMapping(path = "/ack", consumes = "application/json")
  public ResponseEntity<Map<String, Object>> ack(@RequestBody(required = false) Map<String, Object> body) {
    Object raw = body == null ? null : body.get("ids");
    if (!(raw instanceof List<?> list) || list.size() > MAX_ACK_IDS) {
      return badRequest("body must be {\"ids\": [<row id>, ...]} with at most " + MAX_ACK_IDS + " ids");
    }
    List<Long> ids = new ArrayList<>(list.size());
    for (Object id : list) {
      if (!(id instanceof Number n) || n.longValue() != n.doubleValue()) {
        return badRequest("ids must be integers, got " + id);
      }
      ids.add(n.longValue());
    }
    return ResponseEntity.ok(Map.of("acknowledged", ids.isEmpty() ? 0 : repository.acknowledge(ids)));
  }

  /** How many rows wait for acknowledgement, and the oldest one's id (null when empty). */
  @GetMapping("/stats")
  public Map<String, Object> stats() {
    return repository.stats();
  }

  private static ResponseEntity<Map<String, Object>> badRequest(String message) {
    return ResponseEntity.badRequest().body(Map.of("type", "UserError", "message", message));
  }
}
