package dev.gridflow.engine.outbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;

/** ISO-8601 UTC timestamps with millisecond precision, e.g. 2025-03-01T08:15:30.125Z. */
public final class Iso {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Iso() {
  }

  public static String format(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }

  public static String format(Date date) {
    return date == null ? null : FORMAT.format(date.toInstant());
  }
}
