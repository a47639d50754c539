package dev.gridflow.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.operaton.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.gridflow.engine.EngineInfo;

/** Open liveness/readiness probe: UP once the process engine is built. Reveals no secrets. */
@RestController
public class HealthController {

  private final ObjectProvider<ProcessEngine> processEngine;

  public HealthController(ObjectProvider<ProcessEngine> processEngine) {
    this.processEngine = processEngine;
  }

  @GetMapping(path = SecretAuthFilter.OPEN_PATH, produces = "application/json")
  public ResponseEntity<Map<String, Object>> health() {
    ProcessEngine engine = processEngine.getIfAvailable();
    boolean up = engine != null && engine.getName() != null;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("flavour", EngineInfo.flavour());
    body.put("version", EngineInfo.version());
    return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }
}
