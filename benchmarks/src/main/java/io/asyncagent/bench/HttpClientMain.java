package io.asyncagent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One HTTP client in a JVM of its own — how P2 runs the JDK client on another Java (Temurin 25) than the
 * harness's. {@code HttpClientMain KIND URL IN_FLIGHT BODY_SIZE WARM_ANSWERS WARM_LEAST_MS WARM_MOST_MS} opens a
 * client of {@link HttpCandidates.Kind}, warms it up like the clients in the harness's JVM, prints
 * {@value #READY}, and then measures with {@link HttpLoad} each time its standard input says
 * {@code MEASURE SETTLE_MS WINDOW_MS}: it prints {@value #MEASURING} when the window opens and a {@value #RESULT}
 * line at its end. It exits at the end of its standard input.
 */
public final class HttpClientMain {
  private static final String READY = "P2-CLIENT-READY";
  private static final String MEASURING = "P2-CLIENT-MEASURING";
  private static final String RESULT = "P2-CLIENT-RESULT";
  private static final String ERROR = "P2-CLIENT-FIRST-ERROR";

  private HttpClientMain() {}

  /**
   * What a child measured once.
   *
   * @param load the client's own count
   * @param clientCpuSeconds the CPU time the child used in its window, or NaN when unknown
   * @param serverCpuSeconds the CPU time the server used over the child's window, or NaN when unknown
   * @param runtime the child's Java, such as {@code Java 25.0.1+8-LTS}
   */
  record Outcome(HttpLoad.Result load, double clientCpuSeconds, double serverCpuSeconds, String runtime) {}

  public static void main(String[] args) throws Exception {
    HttpCandidates.Kind kind = HttpCandidates.Kind.parse(args[0]);
    URI url = URI.create(args[1]);
    int inFlight = Integer.parseInt(args[2]);
    byte[] body = P2Http.body(Integer.parseInt(args[3]));
    long warmAnswers = Long.parseLong(args[4]);
    Duration warmLeast = Duration.ofMillis(Long.parseLong(args[5]));
    Duration warmMost = Duration.ofMillis(Long.parseLong(args[6]));
    String runtime = HttpCandidates.runtime().replace(' ', '_');
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (HttpLoad.Client client = HttpCandidates.open(kind, url, inFlight)) {
      HttpLoad.Result warm = HttpLoad.warmUp(client, body, inFlight, warmAnswers, warmLeast, warmMost);
      System.out.printf(Locale.ROOT, "%s %.3f %d %s%n", READY, warm.rate(), warm.errors(), runtime);
      System.out.flush();
      String command;
      while ((command = in.readLine()) != null) {
        String[] words = command.trim().split(" ");
        if (!words[0].equals("MEASURE")) {
          continue;
        }
        long[] cpu = new long[2];
        HttpLoad.Result result = HttpLoad.run(client, body, inFlight, Duration.ofMillis(Long.parseLong(words[1])),
            Duration.ofMillis(Long.parseLong(words[2])), new HttpLoad.Window() {
              @Override
              public void started() {
                cpu[0] = ownCpuNanos();
                System.out.println(MEASURING);
                System.out.flush();
              }

              @Override
              public void ended() {
                cpu[1] = ownCpuNanos();
              }
            });
        if (result.firstError() != null) {
          System.out.println(ERROR + " " + result.firstError().replace('\n', ' '));
        }
        System.out.printf(Locale.ROOT, "%s %.3f %d %d %.6f %d%n", RESULT, result.rate(), result.completed(),
            result.errors(), result.seconds(), cpu[0] < 0 || cpu[1] < 0 ? -1 : cpu[1] - cpu[0]);
        System.out.flush();
      }
    }
    System.exit(0);
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** A client running in a child JVM, warmed up and waiting for {@link #measure} calls. */
  static final class Child implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String runtime;
    private final HttpLoad.Result warmUp;
    private final HttpCandidates.Kind kind;

    private Child(Process process, BufferedReader out, PrintWriter in, String runtime, HttpLoad.Result warmUp,
        HttpCandidates.Kind kind) {
      this.process = process;
      this.out = out;
      this.in = in;
      this.runtime = runtime;
      this.warmUp = warmUp;
      this.kind = kind;
    }

    /** The child's Java, such as {@code Java 25.0.1+8-LTS}. */
    String runtime() {
      return runtime;
    }

    /** What its warm-up did (its rate and errors). */
    HttpLoad.Result warmUp() {
      return warmUp;
    }

    /**
     * Measures once (at most the window plus 60 s); {@code serverCpu} is read when the child's window opens
     * and when its result arrives.
     */
    Outcome measure(Duration settle, Duration window, LongSupplier serverCpu) throws IOException {
      in.println("MEASURE " + settle.toMillis() + " " + window.toMillis());
      in.flush();
      long serverAtStart = -1;
      String firstError = null;
      Watchdog watchdog = new Watchdog(process, settle.plus(window).plusSeconds(60));
      try {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.equals(MEASURING)) {
            serverAtStart = serverCpu.getAsLong();
          } else if (line.startsWith(ERROR)) {
            firstError = line.substring(ERROR.length()).trim();
          } else if (line.startsWith(RESULT)) {
            long serverAtEnd = serverCpu.getAsLong();
            String[] fields = line.substring(RESULT.length()).trim().split(" ");
            long clientCpu = Long.parseLong(fields[4]);
            return new Outcome(
                new HttpLoad.Result(Double.parseDouble(fields[0]), Long.parseLong(fields[1]),
                    Long.parseLong(fields[2]), firstError, Double.parseDouble(fields[3])),
                clientCpu < 0 ? Double.NaN : clientCpu / 1e9,
                serverAtStart < 0 || serverAtEnd < 0 ? Double.NaN : (serverAtEnd - serverAtStart) / 1e9,
                runtime);
          }
        }
      } finally {
        watchdog.cancel();
      }
      throw new IllegalStateException("the " + kind + " client's JVM (" + runtime + ") ended without a result");
    }

    /** Ends the child: closes its standard input, and kills it if it has not exited 10 s later. */
    @Override
    public void close() {
      in.close();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts a client in a child JVM ({@code java} with this JVM's class path) and waits until it is warm: until
   * it has had {@code warmAnswers} answers and {@code warmLeast} has passed, or {@code warmMost} has.
   */
  static Child start(Path java, List<String> jvmOptions, HttpCandidates.Kind kind, URI url, int inFlight,
      int bodySize, long warmAnswers, Duration warmLeast, Duration warmMost) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), HttpClientMain.class.getName(),
        kind.name(), url.toString(), Integer.toString(inFlight), Integer.toString(bodySize),
        Long.toString(warmAnswers), Long.toString(warmLeast.toMillis()), Long.toString(warmMost.toMillis())));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Watchdog watchdog = new Watchdog(process, warmMost.plusSeconds(60));
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(READY)) {
          String[] fields = line.substring(READY.length()).trim().split(" ");
          double rate = Double.parseDouble(fields[0]);
          return new Child(process, out, in, fields[2].replace('_', ' '),
              new HttpLoad.Result(rate, 0, Long.parseLong(fields[1]), null, Double.NaN), kind);
        }
      }
    } finally {
      watchdog.cancel();
    }
    process.destroyForcibly();
    throw new IOException("the " + kind + " client's JVM (" + java + ") ended before it was ready");
  }

  /** Kills a child that takes longer than it may. */
  private static final class Watchdog {
    private final Thread thread;

    Watchdog(Process process, Duration limit) {
      this.thread = new Thread(() -> {
        try {
          Thread.sleep(limit.toMillis());
          process.destroyForcibly();
        } catch (InterruptedException inTime) {
          // it answered in time
        }
      }, "p2-child-watchdog");
      thread.setDaemon(true);
      thread.start();
    }

    void cancel() {
      thread.interrupt();
    }
  }
}
