package dev.gridflow.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine server's configuration, read once from environment variables at start-up.
 * Blank values count as unset. Every key has a default; see README.md for the full table.
 *
 * @param bind         ENGINE_BIND: address the HTTP server binds to (default 127.0.0.1)
 * @param port         ENGINE_PORT: HTTP port (default 8089)
 * @param dataDir      ENGINE_DATA_DIR: directory of the H2 database file (default ./data/engine)
 * @param dbUrl        ENGINE_DB_URL: JDBC url of an external MySQL/MariaDB; null = embedded H2
 * @param dbUser       ENGINE_DB_USER: database user (default "sa" for H2)
 * @param dbPassword   ENGINE_DB_PASSWORD: database password (default empty)
 * @param secret       ENGINE_SECRET: HTTP Basic password of user "gridflow"; null = unprotected
 * @param insecure     ENGINE_INSECURE: "true" allows running without ENGINE_SECRET
 * @param pollFallbackMs ENGINE_OUTBOX_POLL_MS: long-poll re-check interval for rows written by
 *                     other engine nodes sharing the database (default 500)
 */
public record EngineSettings(
    String bind,
    int port,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String secret,
    boolean insecure,
    long pollFallbackMs) {

  /** HTTP Basic user name that must accompany ENGINE_SECRET. */
  public static final String BASIC_USER = "gridflow";

  /** Reads the settings from the given environment (normally {@code System.getenv()}). */
  public static EngineSettings fromEnv(Map<String, String> env) {
    Path dataDir = Path.of(value(env, "ENGINE_DATA_DIR", "./data/engine")).toAbsolutePath().normalize();
    return new EngineSettings(
        value(env, "ENGINE_BIND", "127.0.0.1"),
        intValue(env, "ENGINE_PORT", 8089),
        dataDir,
        value(env, "ENGINE_DB_URL", null),
        value(env, "ENGINE_DB_USER", null),
        value(env, "ENGINE_DB_PASSWORD", null),
        value(env, "ENGINE_SECRET", null),
        "true".equalsIgnoreCase(value(env, "ENGINE_INSECURE", "false")),
        intValue(env, "ENGINE_OUTBOX_POLL_MS", 500));
  }

  /** True when an external database is configured instead of the embedded H2 file. */
  public boolean externalDatabase() {
    return dbUrl != null;
  }

  /** The JDBC url actually used. */
  public String jdbcUrl() {
    if (externalDatabase()) {
      return dbUrl;
    }
    // file mode, no AUTO_SERVER; the engine closes the database itself on shutdown.
    // WRITE_DELAY=0: a commit reaches the file at once, so a killed engine loses no committed
    // transaction (the default delay of up to a second loses them, though the outbox delivered them).
    return "jdbc:h2:file:" + dataDir.resolve("engine") + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }

  /** Spring properties derived from these settings (applied as default properties). */
  public Map<String, Object> springProperties() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.address", bind);
    props.put("server.port", port);
    props.put("spring.datasource.url", jdbcUrl());
    props.put("spring.datasource.username", dbUser != null ? dbUser : (externalDatabase() ? "" : "sa"));
    props.put("spring.datasource.password", dbPassword != null ? dbPassword : "");
    return props;
  }

  /** The url with any password-looking query parameter masked, for logs. */
  public String jdbcUrlForLog() {
    return jdbcUrl().replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String value(Map<String, String> env, String key, String fallback) {
    String v = env.get(key);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static int intValue(Map<String, String> env, String key, int fallback) {
    String v = value(env, key, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
    }
  }
}
