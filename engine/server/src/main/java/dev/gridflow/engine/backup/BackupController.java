package dev.gridflow.engine.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /gridflow/backup {"file": "/abs/path/engine.zip"}: an online, consistent copy of the
 * embedded H2 database (H2's {@code BACKUP TO}), taken while the engine keeps running.
 * Behind the secret like everything but /gridflow/health. The file must be absolute, end in
 * .zip, not exist yet (nothing is overwritten) and its folder must exist. With an external
 * database (MySQL/MariaDB) it answers 409: back that up with the database's own tools.
 */
@RestController
@RequestMapping(path = "/gridflow/backup", produces = "application/json")
public class BackupController {

  private static final Logger LOG = LoggerFactory.getLogger(BackupController.class);

  private final DataSource dataSource;

  public BackupController(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Writes the backup zip; answers {file, bytes, database}. */
  @PostMapping(consumes = "application/json")
  public ResponseEntity<Map<String, Object>> backup(@RequestBody(required = false) Map<String, Object> body) {
    Object raw = body == null ? null : body.get("file");
    if (!(raw instanceof String name) || name.isBlank() || !name.endsWith(".zip") || !Path.of(name).isAbsolute()) {
      return error(HttpStatus.BAD_REQUEST, "UserError", "body must be {\"file\": \"<absolute path ending in .zip>\"}");
    }
    Path file = Path.of(name).normalize();
    if (file.getParent() == null || !Files.isDirectory(file.getParent())) {
      return error(HttpStatus.BAD_REQUEST, "UserError", "the folder of " + file + " does not exist");
    }
    if (Files.exists(file)) {
      return error(HttpStatus.CONFLICT, "Conflict", file + " exists already; a backup never overwrites a file");
    }
    try (Connection connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName();
      if (!"H2".equalsIgnoreCase(product)) {
        return error(HttpStatus.CONFLICT, "Conflict", "the engine's database is " + product
            + ", not the embedded H2: back it up with that database's own tools"
            + " (see docs/operations/backup-restore.md)");
      }
      try (PreparedStatement statement = connection.prepareStatement("BACKUP TO ?")) {
        statement.setString(1, file.toString());
        statement.execute();
      }
    } catch (SQLException e) {
      LOG.error("GridFlow engine: backup to {} failed", file, e);
      return error(HttpStatus.INTERNAL_SERVER_ERROR, "BackupFailed", "backup failed: " + e.getMessage());
    }
    long bytes = Files.isRegularFile(file) ? fileSize(file) : -1;
    LOG.info("GridFlow engine: H2 database backed up to {} ({} bytes)", file, bytes);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("file", file.toString());
    result.put("bytes", bytes);
    result.put("database", "H2");
    return ResponseEntity.ok(result);
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String type, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("message", message);
    return ResponseEntity.status(status).body(body);
  }
}
