package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as {@link RecordingHttpBackend} received it. Immutable.
 *
 * <p>Header names are looked up case-insensitively, as HTTP requires: {@code headers().get("content-type")} and
 * {@code header("Content-Type")} find the same values.
 */
public final class RecordedRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Instant receivedAt;

  private RecordedRequest(
      String method, String path, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.receivedAt = receivedAt;
  }

  /**
   * Creates a request; the backend uses it, and tests can use it to try a responder function on its own.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param path the path and query as received, such as {@code /events?source=kafka}
   * @param headers the headers; copied, with case-insensitive names (values of names that differ only in case are
   *     merged in iteration order)
   * @param body the body; copied
   * @param receivedAt when the request arrived
   * @return the request
   * @throws NullPointerException if an argument, a header name, a header value list or a header value is null
   */
  public static RecordedRequest of(
      String method, String path, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    requireNonNull(receivedAt, "receivedAt");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) -> {
          requireNonNull(name, "header name");
          requireNonNull(values, "header values");
          List<String> merged = copy.get(name);
          copy.put(name, merged == null ? List.copyOf(values) : concat(merged, values));
        });
    return new RecordedRequest(method, path, Collections.unmodifiableMap(copy), body.clone(), receivedAt);
  }

  /**
   * Returns the HTTP method.
   *
   * @return the method, such as {@code POST}
   */
  public String method() {
    return method;
  }

  /**
   * Returns the path and query exactly as received, still percent-encoded.
   *
   * @return such as {@code /events} or {@code /events?source=kafka}
   */
  public String path() {
    return path;
  }

  /**
   * Returns all headers. Lookups by name ignore case.
   *
   * @return an unmodifiable map from header name to its unmodifiable list of values, in the order received
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the header name, in any case
   * @return the first value, or empty if the header is absent
   * @throws NullPointerException if {@code name} is null
   */
  public Optional<String> header(String name) {
    requireNonNull(name, "name");
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Returns the body bytes.
   *
   * @return a copy of the body; empty if there was none
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Returns the body decoded as UTF-8.
   *
   * @return the body text; malformed bytes become U+FFFD
   */
  public String bodyAsString() {
    return new String(body, UTF_8);
  }

  /**
   * Returns when the backend received the request (after reading its body).
   *
   * @return the arrival time
   */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** Returns {@code POST /events (42 bytes)}; never the body, which may be large. */
  @Override
  public String toString() {
    return method + " " + path + " (" + body.length + " bytes)";
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
