package io.asyncagent.bench;

import io.asyncagent.bench.HttpCandidates.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/*
 * P2: how much of its HTTP client's speed the HTTP sink keeps, and how far that client is from the wire.
 *
 * One loopback server — Netty, in a JVM of its own — answers 200 with an empty body to every POST. Each client
 * sends 100-byte POSTs over HTTP/1.1 and keeps 64 in flight (a semaphore of 64 permits; see HttpLoad):
 *  - the agent's HttpBackend, driven through deliver(Event) (no Kafka: this isolates the sink);
 *  - the raw Apache HttpClient 5 async client set up exactly as HttpBackend's HttpDelivery sets it up (see
 *    HttpCandidates): the sink's baseline, row (a);
 *  - the other candidates the sink's client was chosen from: the JDK HttpClient as the sink used it before,
 *    Jetty 12, Reactor Netty (in this JVM);
 *  - the JDK client and HttpBackend on Temurin 25, and the JDK client on Java 17 as a control, each in a child
 *    JVM of its own;
 *  - wrk, a native load generator, at 64 connections: the server's ceiling, row (b).
 * Every client is opened once, warmed up to a count of answers (the JIT compiles by counts, so the slow JDK 17
 * client needs the longest), and kept, connections open, for every round. All run in each round, in one order
 * on odd rounds and in the reverse order on even rounds; HttpBackend and the raw Apache client are next to each
 * other in both, so that the ratio of row (a) compares two windows a few seconds apart. At SMOKE scale the child
 * JVMs and wrk are skipped. HttpReport writes the markdown and the paragraph on the sink's client.
 *
 * The server runs in a JVM of its own rather than in the harness's: that way its CPU time can be told apart from
 * the client's, and its heap and GC are not the client's. Measured on 2 cores (4 s windows), the in-process server gave
 * rates within about 15 % of the separate one's (higher for Jetty and the JDK 17 client, by 10–15 %), and no
 * CPU split: the choice is for the accounting.
 *
 * System properties, for experiments: asyncagent.bench.p2.server=process|inprocess (where the server runs;
 * default process), asyncagent.bench.p2.serverThreads (its event-loop threads; default 2).
 */
/** P2: the HTTP sink against its raw Apache HttpClient 5 client, the wire (wrk), and the candidate clients. */
final class P2Http implements Scenario {
  static final int BODY_SIZE = 100;
  static final int IN_FLIGHT = 64;
  /** Where a candidate runs when it runs in the harness's JVM. */
  static final String THIS_JVM = "this JVM";
  /** Where a candidate runs when it runs in a JVM of its own. */
  static final String IN_CHILD = "child JVM";
  /** Row (a)'s baseline: Apache HttpClient 5 async with HttpDelivery's settings (HttpCandidates). */
  static final String RAW_BASELINE = "raw Apache HttpClient 5 async";
  private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final List<String> CHILD_JVM = List.of("-Xmx1g");
  private static final List<String> SERVER_JVM = List.of("-Xmx512m");
  private static final int WRK_THREADS = 2;
  /** The clients in this JVM, in the order of odd rounds: HttpBackend next to its raw client. */
  private static final List<Kind> IN_PROCESS =
      List.of(Kind.BACKEND, Kind.APACHE, Kind.JDK, Kind.JETTY, Kind.REACTOR_NETTY);

  @Override
  public String id() {
    return "P2";
  }

  @Override
  public String title() {
    return "HTTP sink ÷ raw Apache HttpClient 5 async, ÷ wrk's ceiling; candidate clients";
  }

  /** What one measurement of one client gave. */
  record Sample(double rate, long errors, String firstError, double clientCores, double serverCores,
      String runtime) {}

  /** One line of the comparison: a client, where it runs, and its samples, one per round. */
  static final class Candidate {
    final String name;
    final String where;
    final Kind kind;
    final Measurement measurement;
    final List<Sample> samples = new ArrayList<>();
    /** The connections the server accepted during each measurement, settling included; -1 when unknown. */
    final List<Long> connections = new ArrayList<>();
    /** The requests the server answered, and the body bytes it read, during each measurement; -1 when unknown. */
    final List<Long> requests = new ArrayList<>();
    final List<Long> bodyBytes = new ArrayList<>();

    Candidate(String name, String where, Kind kind, Measurement measurement) {
      this.name = name;
      this.where = where;
      this.kind = kind;
      this.measurement = measurement;
    }

    Stats rates() {
      return Stats.of(samples.stream().map(Sample::rate).toList());
    }

    long errors() {
      return samples.stream().mapToLong(Sample::errors).sum();
    }
  }

  @FunctionalInterface
  interface Measurement {
    Sample run() throws Exception;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    long began = System.nanoTime();
    boolean full = context.scale() == BenchContext.Scale.FULL;
    // The JIT compiles by counts: a warm-up runs to a number of answers, within bounds of time.
    long warmAnswers = full ? 100_000 : 1_000;
    Duration warmLeast = full ? Duration.ofSeconds(5) : Duration.ofMillis(100);
    Duration warmMost = full ? Duration.ofSeconds(10) : Duration.ofMillis(300);
    Duration settle = full ? Duration.ofMillis(500) : Duration.ofMillis(100);
    Duration measure = full ? Duration.ofSeconds(4) : Duration.ofSeconds(1);
    Duration wrkDuration = Duration.ofSeconds(10);
    byte[] body = body(BODY_SIZE);
    boolean serverInProcess = "inprocess".equals(System.getProperty("asyncagent.bench.p2.server", "process"));
    int serverThreads = Integer.getInteger("asyncagent.bench.p2.serverThreads", 2);
    Path javaHere = Path.of(System.getProperty("java.home"), "bin", "java");

    List<AutoCloseable> open = new ArrayList<>();
    try {
      HttpRunningServer server = serverInProcess ? HttpLoopbackServer.start(serverThreads)
          : HttpLoopbackServer.startProcess(javaHere, serverThreads, SERVER_JVM);
      open.add(server);
      LongSupplier serverCpu = server::cpuNanos;
      String serverWhere = (serverInProcess ? "in the harness's JVM"
          : "in a JVM of its own (" + HttpCandidates.runtime() + ", " + String.join(" ", SERVER_JVM) + ")")
          + ", Netty " + server.transport() + " with " + serverThreads + " event-loop threads";
      URI url = URI.create("http://127.0.0.1:" + server.port() + "/events");
      context.progress(id(), "loopback server on %s: %s", url, serverWhere);

      // The clients in this JVM, each opened once and kept for every round (their connections stay warm).
      Map<Kind, HttpLoad.Client> clients = new EnumMap<>(Kind.class);
      for (Kind kind : IN_PROCESS) {
        HttpLoad.Client client = HttpCandidates.open(kind, url, IN_FLIGHT);
        open.add(client);
        clients.put(kind, client);
      }
      List<Candidate> candidates = new ArrayList<>();
      for (Kind kind : IN_PROCESS) {
        candidates.add(new Candidate(kind.label, THIS_JVM, kind,
            () -> inProcess(clients.get(kind), body, settle, measure, serverCpu)));
      }
      List<String> notes = new ArrayList<>();
      boolean java25 = Files.isExecutable(JAVA_25);
      context.progress(id(), "warming up the %d clients in this JVM: %,d answers each (%.1f–%.1f s)",
          IN_PROCESS.size(), warmAnswers, HttpReport.seconds(warmLeast), HttpReport.seconds(warmMost));
      for (Kind kind : IN_PROCESS) {
        HttpLoad.Result result = HttpLoad.warmUp(clients.get(kind), body, IN_FLIGHT, warmAnswers, warmLeast, warmMost);
        context.progress(id(), "  warm-up %s: %,.0f requests/s for %.1f s, %d errors", kind.label, result.rate(),
            result.seconds(), result.errors());
      }
      if (!full) {
        notes.add("SMOKE scale: the child JVMs (Java 25, and the Java 17 control) and wrk were skipped.");
      } else {
        List<Path> javas = new ArrayList<>(List.of(javaHere));
        if (java25) {
          javas.add(JAVA_25);
        } else {
          notes.add("No Java 25 at " + JAVA_25 + ": the JDK client on Java 25 was not measured.");
        }
        for (Path java : javas) {
          for (Kind kind : java.equals(javaHere) ? List.of(Kind.JDK) : List.of(Kind.JDK, Kind.BACKEND)) {
            HttpClientMain.Child child;
            try {
              child = HttpClientMain.start(java, CHILD_JVM, kind, url, IN_FLIGHT, BODY_SIZE, warmAnswers, warmLeast,
                  warmMost);
            } catch (IOException | RuntimeException e) {
              notes.add("The " + kind.label + " client could not start in a child JVM with " + java + ", so it is "
                  + "missing: " + e);
              context.progress(id(), "  %s with %s did not start: %s", kind.label, java, e);
              continue;
            }
            open.add(child);
            context.progress(id(), "  warm-up %s on %s in a child JVM: %,.0f requests/s, %d errors", kind.label,
                child.runtime(), child.warmUp().rate(), child.warmUp().errors());
            candidates.add(new Candidate(kind.label, IN_CHILD, kind,
                () -> child(child, settle, measure, serverCpu)));
          }
        }
      }
      Optional<HttpWrk> wrk = full ? HttpWrk.find(context.workDir(), body) : Optional.empty();
      Candidate wrkCandidate = null;
      if (wrk.isPresent()) {
        HttpWrk tool = wrk.get();
        wrkCandidate = new Candidate("wrk (native)", "own process", null, () -> {
          HttpWrk.Result result;
          try {
            result = tool.run(WRK_THREADS, IN_FLIGHT, wrkDuration, url, serverCpu);
          } catch (IOException | RuntimeException e) {
            // A wrk that fails costs its row, not the scenario: the rate 0 drops "HTTP sink vs wire".
            return new Sample(0, 1, e.toString(), Double.NaN, Double.NaN, "native, " + WRK_THREADS + " threads");
          }
          return new Sample(result.rate(), result.errors(), result.errors() > 0 ? result.output() : null, Double.NaN,
              result.serverCpuSeconds() / result.seconds(), "native, " + WRK_THREADS + " threads");
        });
        candidates.add(wrkCandidate);
      } else if (full) {
        notes.add("wrk was not found on the PATH (benchmarks/run.sh installs it with `ensure_wrk`): the row "
            + "HttpBackend ÷ wrk's ceiling and the ceiling itself are missing from this run.");
      }

      for (int round = 1; round <= context.rounds(); round++) {
        List<Candidate> order = new ArrayList<>(candidates);
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        for (Candidate candidate : order) {
          long[] before = server.counts();
          Sample sample = candidate.measurement.run();
          long[] after = server.counts();
          candidate.samples.add(sample);
          candidate.connections.add(before[1] < 0 || after[1] < 0 ? -1 : after[1] - before[1]);
          candidate.requests.add(before[0] < 0 || after[0] < 0 ? -1 : after[0] - before[0]);
          candidate.bodyBytes.add(before[2] < 0 || after[2] < 0 ? -1 : after[2] - before[2]);
          context.progress(id(), "round %d: %-34s %-38s %,9.0f requests/s, %d new connections%s", round,
              candidate.name, sample.runtime() + ", " + candidate.where, sample.rate(), after[1] - before[1],
              sample.errors() > 0 ? ", " + sample.errors() + " errors" : "");
        }
      }

      Candidate backend = inThisJvm(candidates, Kind.BACKEND);
      Candidate raw = inThisJvm(candidates, Kind.APACHE);
      for (Candidate required : List.of(backend, raw)) {
        if (required.samples.stream().anyMatch(sample -> sample.rate() <= 0)) {
          throw new IllegalStateException(required.name + " got no answer in a round: " + required.samples);
        }
      }
      ScenarioResult result = new ScenarioResult();
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < backend.samples.size(); i++) {
        ratios.add(backend.samples.get(i).rate() / raw.samples.get(i).rate());
      }
      result.row(new ScenarioResult.Row(id(), "HTTP sink", "requests/s", RAW_BASELINE,
          backend.rates(), raw.rates(), Stats.of(ratios), 0.90, true));
      if (wrkCandidate != null && wrkCandidate.samples.stream().allMatch(sample -> sample.rate() > 0)) {
        List<Double> wire = new ArrayList<>();
        for (int i = 0; i < backend.samples.size(); i++) {
          wire.add(backend.samples.get(i).rate() / wrkCandidate.samples.get(i).rate());
        }
        result.row(new ScenarioResult.Row(id(), "HTTP sink vs wire", "requests/s",
            "wrk ceiling, " + IN_FLIGHT + " connections", backend.rates(), wrkCandidate.rates(), Stats.of(wire),
            Double.NaN, true));
      }
      context.progress(id(), "measured in %.0f s", (System.nanoTime() - began) / 1e9);
      result.details(HttpReport.details(new HttpReport.Setup(serverWhere,
          wrk.map(tool -> tool.command(WRK_THREADS, IN_FLIGHT, wrkDuration, url.toString())).orElse(null),
          String.join(" ", CHILD_JVM), warmAnswers, warmLeast, warmMost, settle, measure, context.rounds()),
          candidates, wrkCandidate, notes));
      return result;
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        try {
          open.get(i).close();
        } catch (Exception e) {
          context.progress(id(), "closing %s failed: %s", open.get(i), e);
        }
      }
    }
  }

  /** The candidate of {@code kind} that runs in this JVM. */
  static Candidate inThisJvm(List<Candidate> candidates, Kind kind) {
    return candidates.stream().filter(c -> c.kind == kind && c.where.equals(THIS_JVM)).findFirst().orElseThrow();
  }

  private static Sample inProcess(HttpLoad.Client client, byte[] body, Duration settle, Duration measure,
      LongSupplier serverCpu) throws InterruptedException {
    long[] marks = new long[4];
    HttpLoad.Result result = HttpLoad.run(client, body, IN_FLIGHT, settle, measure, new HttpLoad.Window() {
      @Override
      public void started() {
        marks[0] = ownCpuNanos();
        marks[1] = serverCpu.getAsLong();
      }

      @Override
      public void ended() {
        marks[2] = ownCpuNanos();
        marks[3] = serverCpu.getAsLong();
      }
    });
    return new Sample(result.rate(), result.errors(), result.firstError(), cores(marks[0], marks[2], result.seconds()),
        cores(marks[1], marks[3], result.seconds()), HttpCandidates.runtime());
  }

  private static Sample child(HttpClientMain.Child child, Duration settle, Duration measure, LongSupplier serverCpu)
      throws IOException {
    HttpClientMain.Outcome outcome = child.measure(settle, measure, serverCpu);
    HttpLoad.Result load = outcome.load();
    return new Sample(load.rate(), load.errors(), load.firstError(), outcome.clientCpuSeconds() / load.seconds(),
        outcome.serverCpuSeconds() / load.seconds(), outcome.runtime());
  }

  private static double cores(long from, long to, double seconds) {
    return from < 0 || to < 0 ? Double.NaN : (to - from) / 1e9 / seconds;
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** A body of exactly {@code size} printable ASCII bytes: {@code {"event":"p2","pad":"xxx…"}}. */
  static byte[] body(int size) {
    String head = "{\"event\":\"p2\",\"pad\":\"";
    String tail = "\"}";
    if (size < head.length() + tail.length()) {
      throw new IllegalArgumentException("size must be at least " + (head.length() + tail.length()));
    }
    return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.US_ASCII);
  }
}
