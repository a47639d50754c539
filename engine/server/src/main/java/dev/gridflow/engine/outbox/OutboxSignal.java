package dev.gridflow.engine.outbox;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes long-polling readers when an engine transaction that wrote outbox rows has committed.
 * A version counter closes the race between "read found nothing" and "start waiting".
 * On shutdown it releases every waiter at once, so a pending long-poll never holds up the
 * (graceful) shutdown of the web server.
 */
@Component
public final class OutboxSignal implements SmartLifecycle {

  private long version;
  private boolean running;

  /** The current version; pass it to {@link #awaitChange} after reading. */
  public synchronized long version() {
    return version;
  }

  /** Called after commit of a transaction that wrote at least one row. */
  public synchronized void committed() {
    version++;
    notifyAll();
  }

  /** False once the application is shutting down. */
  public synchronized boolean open() {
    return running;
  }

  /**
   * Waits until the version differs from {@code seen}, {@code timeoutMs} passed or shutdown began.
   *
   * @return true if a commit happened meanwhile
   */
  public synchronized boolean awaitChange(long seen, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (version == seen && running) {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (leftMs <= 0) {
        return false;
      }
      wait(leftMs);
    }
    return version != seen;
  }

  @Override
  public synchronized void start() {
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    notifyAll();
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  /** Stops before the web server's graceful shutdown phase. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
