package io.asyncagent.bench;

import io.asyncagent.bench.HttpCandidates.Kind;
import io.asyncagent.bench.P2Http.Candidate;
import io.asyncagent.bench.P2Http.Sample;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * P2's markdown: how the clients were run, the table of clients, the checks and notes, and the paragraph on
 * HttpBackend's client — Apache HttpClient 5 async — with whether this run's numbers still support it.
 */
final class HttpReport {
  /** How much slower than the fastest candidate a client may be and still be picked for its smaller footprint. */
  static final double TOLERANCE = 0.20;
  /** The client HttpBackend sends with (agent-http-backend's HttpDelivery). */
  private static final Kind SINK_CLIENT = Kind.APACHE;

  /** The jars each client needs beyond agent-core (as Maven resolves them for the benchmarks). */
  private static final Map<Kind, List<String>> ARTIFACTS = new EnumMap<>(Map.of(
      Kind.JDK, List.of(),
      Kind.JETTY, List.of("jetty-client", "jetty-http", "jetty-io", "jetty-util", "jetty-alpn-client"),
      Kind.APACHE, List.of("httpclient5", "httpcore5", "httpcore5-h2"),
      Kind.REACTOR_NETTY, List.of("reactor-netty-http", "reactor-netty-core", "reactor-core", "reactive-streams",
          "netty-common", "netty-buffer", "netty-transport", "netty-resolver", "netty-handler", "netty-codec-base",
          "netty-codec-compression", "netty-codec-http", "netty-codec-http2", "netty-codec-http3",
          "netty-codec-classes-quic", "netty-codec-native-quic", "netty-codec-dns", "netty-resolver-dns",
          "netty-resolver-dns-classes-macos", "netty-resolver-dns-native-macos", "netty-transport-native-unix-common",
          "netty-transport-classes-epoll", "netty-transport-native-epoll", "netty-handler-proxy",
          "netty-codec-socks")));

  private HttpReport() {}

  /**
   * How the scenario ran, for the report.
   *
   * @param serverWhere where the server runs and how
   * @param wrkCommand wrk's command line, or null when wrk did not run
   * @param childJvm the options of the child JVMs
   */
  record Setup(String serverWhere, String wrkCommand, String childJvm, long warmAnswers, Duration warmLeast,
      Duration warmMost, Duration settle, Duration measure, int rounds) {}

  /** P2's section of the report. */
  static String details(Setup setup, List<Candidate> candidates, Candidate wrk, List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("## P2 — HTTP sink\n\n");
    md.append(String.format(Locale.ROOT, "Every client POSTs %d-byte bodies over HTTP/1.1 to one loopback server "
        + "(`http://127.0.0.1:PORT/events`) and keeps %d requests in flight — a semaphore of %d permits, one "
        + "taken per request and given back at its answer; each client may open %d connections. The server "
        + "answers 200 with an empty body; it runs %s. HttpBackend, which sends with Apache HttpClient 5's async "
        + "client, is driven through `deliver(Event)` with its defaults (maxConnections %d) — no Kafka: this "
        + "isolates the sink. Its baseline in row (a), the raw Apache HttpClient 5 async client "
        + "(`CloseableHttpAsyncClient`), is set up exactly as HttpBackend's HttpDelivery sets it up: HTTP/1.1 "
        + "forced; a pooling connection manager of %d connections in all and per route; a 10 s connect timeout "
        + "and no response timeout; 2 I/O reactor threads; content compression off; no redirects, cookies or "
        + "automatic retries; each request built with `SimpleRequestBuilder`, with the body and no content type; "
        + "the answer's body discarded (`BasicResponseConsumer(new DiscardingEntityConsumer<>())`). The JDK "
        + "HttpClient is set up as HttpBackend used it before it moved to Apache's (HTTP/1.1, no redirects, a "
        + "fixed executor of 2 threads, bodies discarded, a request built per send); Jetty 12 and Reactor Netty "
        + "(connection pool of %d, HTTP/1.1) otherwise use their defaults. Each client is opened once and kept "
        + "for every round, its connections open. The lines marked child JVM run in a JVM of their own (%s), "
        + "started once and kept the same way: the JDK client and HttpBackend on Java 25, and the JDK client on "
        + "Java 17 as a control for the move out of this JVM. Each client is warmed up first until it has had "
        + "%,d answers and %.1f s have passed, or %.1f s have (the JIT compiles by counts: a slow client needs "
        + "longer). A measurement counts the answers in a %.1f s window after %.1f s of settling. wrk runs `%s`. "
        + "Each round runs every line, in one order on odd rounds and the reverse on even rounds, HttpBackend "
        + "next to the raw Apache client in both; row (a)'s ratio is HttpBackend's rate ÷ the raw client's in "
        + "the same round, row (b)'s HttpBackend's ÷ wrk's. Rounds: %d.\n\n",
        P2Http.BODY_SIZE, P2Http.IN_FLIGHT, P2Http.IN_FLIGHT, P2Http.IN_FLIGHT, setup.serverWhere(),
        P2Http.IN_FLIGHT, P2Http.IN_FLIGHT, P2Http.IN_FLIGHT, setup.childJvm(), setup.warmAnswers(),
        seconds(setup.warmLeast()), seconds(setup.warmMost()), seconds(setup.measure()), seconds(setup.settle()),
        setup.wrkCommand() == null ? "(not run)" : setup.wrkCommand(), setup.rounds()));
    Stats ceiling = wrk == null ? null : wrk.rates();
    md.append("| client | Java | runs in | requests/s | ÷ wrk | client CPU, cores | client CPU per request, µs | "
        + "server CPU, cores | new connections | errors | jars beyond agent-core |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Candidate candidate : candidates) {
      if (candidate.samples.isEmpty()) {
        continue;
      }
      Stats rates = candidate.rates();
      String adds = candidate.kind == null ? "—"
          : candidate.kind == Kind.BACKEND ? "Apache's (the sink)" : jars(candidate.kind);
      md.append("| ").append(candidate.name)
          .append(" | ").append(candidate.samples.get(0).runtime())
          .append(" | ").append(candidate.where)
          .append(" | ").append(rates.format("%,.0f"))
          .append(" | ").append(ceiling == null ? "—"
              : String.format(Locale.ROOT, "%.2f", rates.median() / ceiling.median()))
          .append(" | ").append(medianOf(candidate, Sample::clientCores, "%.2f"))
          .append(" | ").append(medianOf(candidate, HttpReport::cpuPerRequest, "%.0f"))
          .append(" | ").append(medianOf(candidate, Sample::serverCores, "%.2f"))
          .append(" | ").append(candidate.connections.stream().anyMatch(n -> n < 0) ? "—"
              : Long.toString(candidate.connections.stream().mapToLong(Long::longValue).sum()))
          .append(" | ").append(candidate.errors())
          .append(" | ").append(adds).append(" |\n");
    }
    md.append("\nrequests/s: median [lowest–highest round]. ÷ wrk: the median ÷ wrk's median. CPU: median over "
        + "the rounds of the process's CPU time in the window ÷ the window (2 cores = 2.00); a client in this JVM "
        + "counts the whole harness JVM, the idle broker included. CPU per request: the client's CPU time ÷ its "
        + "answers, median over the rounds. New connections: what the server accepted during the client's "
        + "measurements, all rounds: a client that kept its connections open between its measurements adds "
        + "none; one that closed them while idle opens new ones as it settles. The jars: what Maven resolves for "
        + "that client here, less what agent-core already brings; HttpBackend's are Apache HttpClient 5's.\n");
    for (Candidate candidate : candidates) {
      candidate.samples.stream().filter(sample -> sample.firstError() != null).findFirst().ifPresent(sample ->
          md.append("\n").append(candidate.name).append(" (").append(candidate.where).append("): ")
              .append(candidate.errors()).append(" errors; the first: `")
              .append(sample.firstError().replace('\n', ' ').replace('`', '\'')).append("`\n"));
    }
    md.append('\n').append(bodyCheck(candidates)).append('\n');
    for (String note : notes) {
      md.append('\n').append(note).append('\n');
    }
    md.append('\n').append(sinkClient(candidates, ceiling)).append('\n');
    return md.toString();
  }

  /**
   * The paragraph on HttpBackend's client. The rule it was chosen by, stated in the report: among the clients
   * measured on Java 17 in this JVM, those within 20 % of the fastest; of those, the one whose jars weigh least.
   * (With 10 %, the pick flipped between two clients from one run to the next: their rounds overlap.) The
   * paragraph says whether this run's numbers pick Apache HttpClient 5 by that rule, and if not, which client
   * they pick and why.
   */
  private static String sinkClient(List<Candidate> candidates, Stats ceiling) {
    List<Candidate> onSeventeen = candidates.stream()
        .filter(candidate -> candidate.kind != null && candidate.kind != Kind.BACKEND
            && candidate.where.equals(P2Http.THIS_JVM) && !candidate.samples.isEmpty())
        .toList();
    Candidate fastest = onSeventeen.stream().max(Comparator.comparingDouble(c -> c.rates().median())).orElseThrow();
    double bar = (1 - TOLERANCE) * fastest.rates().median();
    List<Candidate> close = onSeventeen.stream().filter(c -> c.rates().median() >= bar).toList();
    Candidate pick = close.stream().min(Comparator.comparingLong(c -> footprint(c.kind)[1])).orElseThrow();
    Candidate jdk = P2Http.inThisJvm(candidates, Kind.JDK);
    Candidate sink = P2Http.inThisJvm(candidates, SINK_CLIENT);
    Candidate backend = P2Http.inThisJvm(candidates, Kind.BACKEND);
    double sinkRate = sink.rates().median();
    String tolerance = Math.round(TOLERANCE * 100) + " %";

    StringBuilder text = new StringBuilder("**HttpBackend's client: " + sink.name + ".** HttpBackend sends with "
        + "Apache HttpClient 5's async client (`CloseableHttpAsyncClient`, in agent-http-backend's HttpDelivery), "
        + "chosen by this rule: of the clients measured on Java 17 (the project's baseline) in this JVM, those "
        + "within " + tolerance + " of the fastest median; of those, the one whose jars weigh least (the JDK's "
        + "client needs none). ");
    text.append(String.format(Locale.ROOT, "In this run it answered %,.0f requests/s, %.1f× the JDK 17 client's "
        + "%,.0f, for %s µs of CPU per request against the JDK client's %s", sinkRate,
        sinkRate / jdk.rates().median(), jdk.rates().median(), medianOf(sink, HttpReport::cpuPerRequest, "%.0f"),
        medianOf(jdk, HttpReport::cpuPerRequest, "%.0f")));
    List<String> others = new ArrayList<>();
    for (Candidate other : onSeventeen) {
      if (other != sink && other != jdk) {
        others.add(String.format(Locale.ROOT, "%s: %,.0f requests/s, %.2f× Apache's, %s µs", other.name,
            other.rates().median(), other.rates().median() / sinkRate,
            medianOf(other, HttpReport::cpuPerRequest, "%.0f")));
      }
    }
    if (!others.isEmpty()) {
      text.append(" (").append(String.join("; ", others)).append(")");
    }
    text.append(". It needs ").append(jars(SINK_CLIENT));
    onSeventeen.stream().filter(c -> c.kind == Kind.REACTOR_NETTY).findFirst().ifPresent(reactor ->
        text.append(", where ").append(reactor.name).append(" needs ").append(jars(Kind.REACTOR_NETTY)));
    text.append(". ");

    if (pick == sink && fastest == sink) {
      text.append("It was the fastest, so by the rule **this run supports the choice**.");
    } else if (pick == sink) {
      text.append(String.format(Locale.ROOT, "%s was faster (%,.0f requests/s); Apache HttpClient 5 async reached "
          + "%.2f of its rate — within the %s — and its jars weigh less (%s against %s), so by the rule **this run "
          + "still supports the choice**.", fastest.name, fastest.rates().median(), sinkRate
          / fastest.rates().median(), tolerance, jars(SINK_CLIENT), jars(fastest.kind)));
    } else if (close.contains(sink)) {
      String against = pick == fastest ? "was the fastest"
          : String.format(Locale.ROOT, "was within %s of the fastest (%s, %,.0f)", tolerance, fastest.name,
              fastest.rates().median());
      text.append(String.format(Locale.ROOT, "**By the rule this run does not support the choice**: %s (%,.0f "
          + "requests/s, %s) %s and its jars weigh less than Apache's (%s), so the rule picks it, although Apache "
          + "HttpClient 5 async was within the %s too (%.2f of the fastest). HttpBackend still sends with Apache "
          + "HttpClient 5; if other runs agree, the choice needs another look.", pick.name, pick.rates().median(),
          jars(pick.kind), against, jars(SINK_CLIENT), tolerance, sinkRate / fastest.rates().median()));
    } else {
      text.append(String.format(Locale.ROOT, "**This run does not support the choice**: Apache HttpClient 5 async "
          + "was more than %s slower than %s (%,.0f against %,.0f requests/s: %.2f of its rate), so by the rule "
          + "the pick would be **%s** (%,.0f requests/s, %s). HttpBackend still sends with Apache HttpClient 5; "
          + "if other runs agree, the choice needs another look.", tolerance, fastest.name, sinkRate,
          fastest.rates().median(), sinkRate / fastest.rates().median(), pick.name, pick.rates().median(),
          jars(pick.kind)));
    }
    text.append(String.format(Locale.ROOT, " HttpBackend itself reached %,.0f requests/s in this JVM (row (a): "
        + "its ratio to the raw client, round by round).", backend.rates().median()));
    childOnJava25(candidates, Kind.JDK).ifPresent(java25 -> text.append(String.format(Locale.ROOT, " For "
        + "comparison, the JDK client on %s reached %,.0f requests/s (%.1f× its Java 17 rate in this JVM), %.2f× "
        + "Apache HttpClient 5 async on Java 17", java25.samples.get(0).runtime(), java25.rates().median(),
        java25.rates().median() / jdk.rates().median(), java25.rates().median() / sinkRate)));
    childOnJava25(candidates, Kind.BACKEND).ifPresent(java25 -> text.append(String.format(Locale.ROOT, "; "
        + "HttpBackend on Java 25 reached %,.0f (%.2f× its rate on Java 17)", java25.rates().median(),
        java25.rates().median() / backend.rates().median())));
    if (childOnJava25(candidates, Kind.JDK).isPresent() || childOnJava25(candidates, Kind.BACKEND).isPresent()) {
      text.append('.');
    }
    if (ceiling != null) {
      text.append(String.format(Locale.ROOT, " wrk's ceiling was %,.0f requests/s: Apache HttpClient 5 async "
          + "reached %.2f of it, HttpBackend %.2f.", ceiling.median(), sinkRate / ceiling.median(),
          backend.rates().median() / ceiling.median()));
    }
    return text.toString();
  }

  private static Optional<Candidate> childOnJava25(List<Candidate> candidates, Kind kind) {
    return candidates.stream()
        .filter(c -> c.kind == kind && c.where.equals(P2Http.IN_CHILD) && !c.samples.isEmpty()
            && c.samples.get(0).runtime().startsWith("Java 25"))
        .findFirst();
  }

  /** Whether the server read BODY_SIZE bytes per request from each client: every client really sent its body. */
  private static String bodyCheck(List<Candidate> candidates) {
    List<String> off = new ArrayList<>();
    for (Candidate candidate : candidates) {
      long requests = 0;
      long bytes = 0;
      for (int i = 0; i < candidate.requests.size(); i++) {
        if (candidate.requests.get(i) < 0 || candidate.bodyBytes.get(i) < 0) {
          return "The server's counts could not be read: whether each client sent its body is unchecked.";
        }
        requests += candidate.requests.get(i);
        bytes += candidate.bodyBytes.get(i);
      }
      if (requests == 0 || bytes != (long) P2Http.BODY_SIZE * requests) {
        off.add(String.format(Locale.ROOT, "%s (%s): %,d bytes in %,d requests", candidate.name, candidate.where,
            bytes, requests));
      }
    }
    return off.isEmpty()
        ? "Check: during every measurement the server read exactly " + P2Http.BODY_SIZE + " body bytes per "
            + "request it answered, from every client."
        : "**Check failed**: the server did not read " + P2Http.BODY_SIZE + " body bytes per request from "
            + String.join("; ", off) + ".";
  }

  /** The jars a client needs beyond agent-core, found on this JVM's class path: count and bytes. */
  private static long[] footprint(Kind kind) {
    List<String> artifacts = ARTIFACTS.get(kind);
    long jars = 0;
    long bytes = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      for (String artifact : artifacts) {
        if (name.endsWith(".jar") && name.startsWith(artifact + "-") && name.length() > artifact.length() + 1
            && Character.isDigit(name.charAt(artifact.length() + 1))) {
          jars++;
          try {
            bytes += Files.size(Path.of(entry));
          } catch (IOException e) {
            // counted without its size
          }
        }
      }
    }
    return new long[] {jars, bytes};
  }

  private static String jars(Kind kind) {
    long[] footprint = footprint(kind);
    return footprint[0] == 0 ? "none" : String.format(Locale.ROOT, "%d jars, %.1f MiB", footprint[0],
        footprint[1] / 1024.0 / 1024.0);
  }

  private static double cpuPerRequest(Sample sample) {
    return sample.clientCores() / sample.rate() * 1e6;
  }

  private static String medianOf(Candidate candidate, ToDoubleFunction<Sample> value, String format) {
    List<Double> values = candidate.samples.stream().map(value::applyAsDouble).filter(Double::isFinite).toList();
    return values.isEmpty() ? "—" : String.format(Locale.ROOT, format, Stats.of(values).median());
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
