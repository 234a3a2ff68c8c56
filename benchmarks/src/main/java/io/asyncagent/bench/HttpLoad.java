package io.asyncagent.bench;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a fixed number of requests in flight through one HTTP client and counts the answers: a semaphore of
 * {@code inFlight} permits, one taken per request and given back when its answer (or failure) arrives. A
 * settle period (not counted) comes first, then the measured window; what is still in flight at its end is
 * waited for, and not counted.
 */
final class HttpLoad {
  private HttpLoad() {}

  /** One HTTP client under test. {@link #send} is called from one thread only, the driver's. */
  interface Client extends AutoCloseable {

    /** Sends {@code body} as one POST; calls {@code done} once, with null for a 2xx answer. */
    void send(byte[] body, Done done);

    /** Releases the client's threads and connections. */
    @Override
    void close();
  }

  /** The outcome of one request. */
  @FunctionalInterface
  interface Done {
    void completed(Throwable failure);
  }

  /** Hooks at the edges of the measured window (the scenario reads CPU clocks there). */
  interface Window {
    Window NONE = new Window() {};

    default void started() {}

    default void ended() {}
  }

  /**
   * What a run measured.
   *
   * @param rate answers per second in the measured window (successes only)
   * @param completed successful answers in the window
   * @param errors failures over the whole run, settle period included
   * @param firstError the first failure, or null
   * @param seconds the window's length
   */
  record Result(double rate, long completed, long errors, String firstError, double seconds) {}

  /**
   * Warms a client up: runs it, uncounted, until it has had {@code answers} answers and {@code least} has
   * passed, or {@code most} has passed. The JIT compiles by counts, so a slow client needs longer. Returns the
   * answers and the time it took, as a result.
   */
  static Result warmUp(Client client, byte[] body, int inFlight, long answers, Duration least, Duration most)
      throws InterruptedException {
    long started = System.nanoTime();
    long done = 0;
    long errors = 0;
    String firstError = null;
    while (true) {
      long elapsed = System.nanoTime() - started;
      if (elapsed >= most.toNanos() || (done >= answers && elapsed >= least.toNanos())) {
        double seconds = elapsed / 1e9;
        return new Result(done / seconds, done, errors, firstError, seconds);
      }
      Duration chunkLength = most.compareTo(Duration.ofMillis(500)) < 0 ? most : Duration.ofMillis(500);
      Result chunk = run(client, body, inFlight, Duration.ZERO, chunkLength, Window.NONE);
      done += chunk.completed();
      errors += chunk.errors();
      firstError = firstError == null ? chunk.firstError() : firstError;
    }
  }

  /** Runs the load; throws if the requests still in flight at the end do not finish within 30 s. */
  static Result run(Client client, byte[] body, int inFlight, Duration settle, Duration measure, Window window)
      throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    Done done = failure -> {
      if (failure == null) {
        ok.incrementAndGet();
      } else {
        errors.incrementAndGet();
        firstError.compareAndSet(null, failure);
      }
      permits.release();
    };
    long start = System.nanoTime();
    long windowStart = start + settle.toNanos();
    long windowEnd = windowStart + measure.toNanos();
    boolean measuring = false;
    long okAtStart = 0;
    long measuredFrom = 0;
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now >= windowStart) {
        okAtStart = ok.get();
        measuredFrom = now;
        measuring = true;
        window.started();
      }
      if (now >= windowEnd) {
        break;
      }
      if (permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        try {
          client.send(body, done);
        } catch (RuntimeException e) {
          done.completed(e);
        }
      }
    }
    long okAtEnd = ok.get();
    long measuredTo = System.nanoTime();
    window.ended();
    if (!permits.tryAcquire(inFlight, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          (inFlight - permits.availablePermits()) + " requests were still unanswered 30 s after the window ended");
    }
    permits.release(inFlight);
    double seconds = (measuredTo - measuredFrom) / 1e9;
    Throwable first = firstError.get();
    return new Result((okAtEnd - okAtStart) / seconds, okAtEnd - okAtStart, errors.get(),
        first == null ? null : first.toString(), seconds);
  }
}
