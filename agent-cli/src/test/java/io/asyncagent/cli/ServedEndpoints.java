package io.asyncagent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code /__health} and {@code /metrics} of a {@code run --port 0}, on loopback at the port its
 * {@code Serving ...} line names, for the tests of {@code run}.
 */
final class ServedEndpoints {
  private static final Pattern SERVING =
      Pattern.compile("Serving /__health and /metrics on http://0\\.0\\.0\\.0:(\\d+)");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String servingLine;
  private final URI base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private ServedEndpoints(String servingLine, int port) {
    this.servingLine = servingLine;
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** The endpoints that the first {@code Serving ...} line of {@code output} names, if it has one yet. */
  static Optional<ServedEndpoints> in(List<String> output) {
    for (String line : output) {
      Matcher serving = SERVING.matcher(line);
      if (serving.matches()) {
        return Optional.of(new ServedEndpoints(line, Integer.parseInt(serving.group(1))));
      }
    }
    return Optional.empty();
  }

  /** The {@code Serving ...} line. */
  String servingLine() {
    return servingLine;
  }

  /** Sends {@code GET path}. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes {@code /metrics} and returns {@code asyncagent_events_delivered_total} of {@code agent} and topic. */
  double deliveredTotal(String agent, String topic) {
    try {
      return deliveredTotal(get("/metrics").body(), agent, topic);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while scraping /metrics", e);
    }
  }

  /**
   * Returns the value of {@code asyncagent_events_delivered_total} for {@code agent} and {@code topic} in a
   * Prometheus text exposition — the line {@code asyncagent_events_delivered_total{agent="A",topic="T"} 120.0} —
   * or 0 when it has no such line yet.
   */
  static double deliveredTotal(String exposition, String agent, String topic) {
    String series = "asyncagent_events_delivered_total{agent=\"" + agent + "\",topic=\"" + topic + "\"} ";
    return exposition.lines().filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length())))
        .findFirst().orElse(0);
  }
}
