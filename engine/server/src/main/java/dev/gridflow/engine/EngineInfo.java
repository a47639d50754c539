package dev.gridflow.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.operaton.bpm.engine.impl.util.ProductPropertiesUtil;

/**
 * Which engine this jar was built for ("operaton" or "camunda") and its version.
 * The flavour comes from gridflow-engine.properties, filtered by Maven at build time.
 */
public final class EngineInfo {

  private static final Properties BUILD = load();

  private EngineInfo() {
  }

  /** "operaton" or "camunda". */
  public static String flavour() {
    return BUILD.getProperty("flavour", "unknown");
  }

  /** The engine's own product version, falling back to the version the jar was built with. */
  public static String version() {
    try {
      String v = ProductPropertiesUtil.getProductVersion();
      if (v != null && !v.isBlank() && !v.contains("${")) {
        return v;
      }
    } catch (RuntimeException ignored) {
      // fall through to the build-time version
    }
    return BUILD.getProperty("engineVersion", "unknown");
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = EngineInfo.class.getResourceAsStream("/gridflow-engine.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // defaults apply
    }
    return p;
  }
}
