package dev.gridflow.engine;

import java.io.IOException;
import java.nio.file.Files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * GridFlow engine server: the Camunda 7 REST API at /engine-rest (Operaton or Camunda 7 CE),
 * the transactional outbox at /gridflow/outbox and an open health probe at /gridflow/health.
 */
@SpringBootApplication
public class GridflowEngineApplication {

  private static final Logger LOG = LoggerFactory.getLogger(GridflowEngineApplication.class);

  /** Exit code when the server refuses to start because it would run unprotected. */
  static final int EXIT_INSECURE = 78;

  public static void main(String[] args) throws IOException {
    EngineSettings settings = EngineSettings.fromEnv(System.getenv());
    refuseUnprotectedStart(settings);
    if (!settings.externalDatabase()) {
      Files.createDirectories(settings.dataDir());
    }
    SpringApplication app = new SpringApplication(GridflowEngineApplication.class);
    app.setDefaultProperties(settings.springProperties());
    app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("engineSettings", settings));
    app.run(args);
    if ("true".equalsIgnoreCase(System.getenv("ENGINE_EXIT_WITH_PARENT"))) {
      exitWhenStdinCloses();
    }
  }

  /**
   * When GridFlow's runtime starts the engine as a child process it keeps the child's stdin open;
   * end of input means the parent is gone (even after kill -9), so the engine shuts down rather
   * than outliving it and holding the port and the H2 file lock.
   */
  private static void exitWhenStdinCloses() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the parent writes nothing; any input is ignored
        }
      } catch (IOException e) {
        // a broken pipe means the same as end of input
      }
      LOG.info("GridFlow engine: parent process is gone (stdin closed), shutting down");
      System.exit(0);
    }, "gridflow-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Without ENGINE_SECRET the engine would accept anyone on its port: allow only on request. */
  private static void refuseUnprotectedStart(EngineSettings settings) {
    if (settings.secret() != null) {
      return;
    }
    if (!settings.insecure()) {
      // logging is not configured yet: write straight to stderr so the reason is always visible
      System.err.println("GridFlow engine: refusing to start: ENGINE_SECRET is not set. Every request to "
          + "/engine-rest and /gridflow must carry HTTP Basic auth (user '" + EngineSettings.BASIC_USER
          + "', password = ENGINE_SECRET). Set ENGINE_SECRET, or set ENGINE_INSECURE=true to run "
          + "without protection (local development only).");
      System.exit(EXIT_INSECURE);
    }
    System.err.println("GridFlow engine: WARNING: ENGINE_SECRET is not set and ENGINE_INSECURE=true: "
        + "the REST API on " + settings.bind() + ":" + settings.port() + " is NOT protected.");
  }

  /** One line that says what is running where. */
  @EventListener(ApplicationReadyEvent.class)
  public void announce(ApplicationReadyEvent event) {
    EngineSettings s = event.getApplicationContext().getBean(EngineSettings.class);
    LOG.info("GridFlow engine ready: {} {} on http://{}:{} (REST /engine-rest, auth {}), database {}",
        EngineInfo.flavour(), EngineInfo.version(), s.bind(), s.port(),
        s.secret() != null ? "required" : "DISABLED", s.jdbcUrlForLog());
  }
}
