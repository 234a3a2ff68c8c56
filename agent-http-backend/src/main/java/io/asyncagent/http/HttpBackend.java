package io.asyncagent.http;

import static java.util.Objects.requireNonNull;

import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.GoDuration;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.http.internal.HeaderRules;
import io.asyncagent.http.internal.HttpDelivery;
import io.asyncagent.http.internal.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A {@link BackendSink} that sends each event to an HTTP endpoint (KrakenD's {@code backend} entry), with
 * Apache HttpClient 5's asynchronous client over HTTP/1.1:
 *
 * <ul>
 *   <li>the request goes to {@code host + urlPattern}, with {@code method} (POST by default), rotating
 *       over the hosts when there are several;
 *   <li>its body is the event's body, unchanged;
 *   <li>the event's headers become request headers (the record key among them, with {@code key_meta}), or only
 *       those {@linkplain Builder#inputHeaders named};
 *       a header the HTTP client may not send — {@code Host}, {@code Content-Length}, {@code Connection},
 *       a name that is not an HTTP token, a value with line breaks or bytes that are not text — is left
 *       out;
 *   <li>a 2xx answer is success (the set is {@linkplain Builder#successStatuses configurable}); any other
 *       status fails the delivery with a {@link DeliveryException} carrying the status, retriable for 408,
 *       429 and 5xx, with the backend's {@code Retry-After} when it sent one; a connection failure or
 *       timeout fails it as retriable.
 * </ul>
 *
 * <pre>{@code
 * HttpBackend billing = HttpBackend.builder()
 *     .host("http://billing:8080")
 *     .urlPattern("/events")
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe; one backend may serve several agents. Equality is identity: each backend owns an
 * HTTP client.
 */
public final class HttpBackend implements BackendSink, AutoCloseable {
  private final List<Target> hosts;
  private final String urlPattern;
  private final String method;
  private final Duration timeout;
  private final Duration connectTimeout;
  private final BitSet successStatuses;
  private final boolean forwardCoordinates;
  private final int maxConnections;
  private final Set<String> inputHeaders;
  private final HttpDelivery delivery;

  private HttpBackend(Builder builder) {
    this.hosts = List.copyOf(builder.hosts);
    this.urlPattern = builder.urlPattern;
    this.method = builder.method;
    this.timeout = builder.timeout;
    this.connectTimeout = builder.connectTimeout;
    this.successStatuses = (BitSet) builder.successStatuses.clone();
    this.forwardCoordinates = builder.forwardCoordinates;
    this.maxConnections = builder.maxConnections;
    this.inputHeaders = builder.inputHeaders;
    this.delivery = new HttpDelivery(new HttpDelivery.Settings(hosts, urlPattern, method, timeout, connectTimeout,
        successStatuses, forwardCoordinates, maxConnections, inputHeaders));
  }

  /** {@return an empty builder; {@code host} is required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this backend's settings; what it builds has a client of its own} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.hosts.addAll(hosts);
    builder.urlPattern = urlPattern;
    builder.method = method;
    builder.timeout = timeout;
    builder.connectTimeout = connectTimeout;
    builder.successStatuses = (BitSet) successStatuses.clone();
    builder.forwardCoordinates = forwardCoordinates;
    builder.maxConnections = maxConnections;
    builder.inputHeaders = inputHeaders;
    return builder;
  }

  @Override
  public CompletionStage<Void> deliver(Event event) {
    return delivery.send(event);
  }

  /**
   * Returns the hosts, such as {@code http://billing:8080}, without the credentials a host may carry
   * ({@code http://user:password@billing} sends them as Basic authentication).
   *
   * @return the hosts, at least one, in rotation order
   */
  public List<URI> hosts() {
    return hosts.stream().map(Target::base).toList();
  }

  /** {@return the path (and query) appended to the host} */
  public String urlPattern() {
    return urlPattern;
  }

  /** {@return the HTTP method} */
  public String method() {
    return method;
  }

  /** {@return the time limit of one request, if set; the agent's {@code timeout} applies regardless} */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** {@return the time limit for opening a connection} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * {@return whether a status counts as success}
   *
   * @param status an HTTP status; any value
   */
  public boolean isSuccess(int status) {
    return status >= 0 && successStatuses.get(status);
  }

  /** {@return whether the event's topic, partition, offset and timestamp are sent as headers} */
  public boolean forwardsCoordinates() {
    return forwardCoordinates;
  }

  /** {@return the most connections kept open to the backend's hosts} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return the names, lower-cased, of the only event headers sent; empty when every header is sent} */
  public Optional<Set<String>> inputHeaders() {
    return Optional.ofNullable(inputHeaders);
  }

  /**
   * Closes the backend's connections and stops its client's threads. The agent the backend was given to
   * closes it when the agent stops; a backend closed fails every later delivery. Idempotent.
   */
  @Override
  public void close() {
    delivery.close();
  }

  /** Returns the method and the URLs; user information in a host is masked. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("HttpBackend{").append(method).append(' ');
    for (int i = 0; i < hosts.size(); i++) {
      out.append(i == 0 ? "" : " | ").append(hosts.get(i).display()).append(urlPattern);
    }
    return out.append('}').toString();
  }

  /** Builds an {@link HttpBackend}. Each setter checks its value at once. */
  public static final class Builder {
    private final List<Target> hosts = new ArrayList<>();
    private String urlPattern = "/";
    private String method = "POST";
    private Duration timeout;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private BitSet successStatuses = range(200, 299);
    private boolean forwardCoordinates;
    private int maxConnections = 64;
    private Set<String> inputHeaders;

    private Builder() {}

    /**
     * Sets the host, or several to rotate over (KrakenD's {@code host}); replaces any set before.
     * Each is {@code http://} or {@code https://}, a host name, and optionally a port — no path.
     * Credentials in a host ({@code https://user:password@billing}) are sent as Basic authentication,
     * as KrakenD's Go client does, and never printed. Required.
     *
     * @param hosts the hosts, at least one
     * @return this builder
     * @throws IllegalArgumentException if there are none or one is not such a URL
     * @throws NullPointerException if {@code hosts} or one of them is null
     */
    public Builder host(String... hosts) {
      requireNonNull(hosts, "hosts");
      return hosts(List.of(hosts));
    }

    /**
     * Sets the hosts to rotate over (KrakenD's {@code host}); replaces any set before. Required.
     *
     * @param hosts the hosts, at least one
     * @return this builder
     * @throws IllegalArgumentException if there are none or one is not an http(s) URL without a path
     * @throws NullPointerException if {@code hosts} or one of them is null
     */
    public Builder hosts(List<String> hosts) {
      requireNonNull(hosts, "hosts");
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("host must name at least one host, but was empty");
      }
      List<Target> parsed = new ArrayList<>();
      for (int i = 0; i < hosts.size(); i++) {
        parsed.add(Target.parse("host[" + i + "]", requireNonNull(hosts.get(i), "host[" + i + "]")));
      }
      this.hosts.clear();
      this.hosts.addAll(parsed);
      return this;
    }

    /**
     * Sets the path, and optionally a query, of every request (KrakenD's {@code url_pattern}). Default
     * {@code /}. Placeholders are not expanded: KrakenD does not expand them for agents either.
     *
     * @param urlPattern the path, starting with {@code /}
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code /} or is not a valid URI path
     * @throws NullPointerException if {@code urlPattern} is null
     */
    public Builder urlPattern(String urlPattern) {
      requireNonNull(urlPattern, "urlPattern");
      if (!urlPattern.startsWith("/")) {
        throw new IllegalArgumentException("urlPattern must start with '/', but was '" + urlPattern + "'");
      }
      try {
        new URI("http://host" + urlPattern);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "urlPattern must be a valid URI path, but was '" + urlPattern + "': " + e.getReason(), e);
      }
      this.urlPattern = urlPattern;
      return this;
    }

    /**
     * Sets the HTTP method (KrakenD's {@code method}), such as {@code PUT}. Default {@code POST} —
     * KrakenD defaults to GET, which carries no body by convention.
     *
     * @param method the method, any case (sent upper-cased); not {@code CONNECT}
     * @return this builder
     * @throws IllegalArgumentException if it is not an HTTP token
     * @throws NullPointerException if {@code method} is null
     */
    public Builder method(String method) {
      requireNonNull(method, "method");
      // CONNECT opens a tunnel, not a request with a body; the JDK client refuses it.
      if (method.isEmpty() || !method.chars().allMatch(HeaderRules::isTokenChar) || method.equalsIgnoreCase("CONNECT")) {
        throw new IllegalArgumentException("method must be an HTTP method such as POST, but was '" + method + "'");
      }
      this.method = method.toUpperCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the time limit of one request, from sending to the response's headers. Default: none of its
     * own — the agent's {@code timeout} (2 s by default) limits every delivery anyway.
     *
     * @param timeout the time limit, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder timeout(Duration timeout) {
      this.timeout = GoDuration.requirePositive("timeout", timeout);
      return this;
    }

    /**
     * Sets the time limit for opening a connection. Default 10 s.
     *
     * @param connectTimeout the time limit, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     * @throws NullPointerException if {@code connectTimeout} is null
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = GoDuration.requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Sets the statuses that count as success; replaces the default, every 2xx. KrakenD accepts 200 and
     * 201 only; {@code successStatuses(200, 201)} does the same.
     *
     * @param statuses the statuses, at least one, each from 100 to 599
     * @return this builder
     * @throws IllegalArgumentException if there are none or one is outside 100..599
     * @throws NullPointerException if {@code statuses} is null
     */
    public Builder successStatuses(int... statuses) {
      requireNonNull(statuses, "statuses");
      if (statuses.length == 0) {
        throw new IllegalArgumentException("successStatuses must name at least one status, but was empty");
      }
      BitSet set = new BitSet(600);
      for (int status : statuses) {
        if (status < 100 || status > 599) {
          throw new IllegalArgumentException("successStatuses must be HTTP statuses from 100 to 599, but had " + status);
        }
        set.set(status);
      }
      this.successStatuses = set;
      return this;
    }

    /**
     * Sends each event's coordinates as headers: {@code X-Kafka-Topic}, {@code X-Kafka-Partition},
     * {@code X-Kafka-Offset} and {@code X-Kafka-Timestamp} (milliseconds since the epoch) — what a backend
     * needs to make its writes idempotent. Default off, as in KrakenD.
     *
     * @param forwardCoordinates whether to send the coordinates
     * @return this builder
     */
    public Builder forwardCoordinates(boolean forwardCoordinates) {
      this.forwardCoordinates = forwardCoordinates;
      return this;
    }

    /**
     * Sets the most connections kept open to the backend's hosts. A delivery that finds them all busy
     * waits for one — without holding a thread. Default 64; more than the agent's {@code workers} is never
     * used.
     *
     * @param maxConnections the most connections, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be >= 1, but was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Sends only the event headers with these names, compared ignoring case (KrakenD's {@code input_headers});
     * replaces any set before. An empty list sends no event header. Default: every event header is sent. The
     * headers this backend adds itself — {@link #forwardCoordinates coordinates}, and the credentials of a host —
     * are sent whatever the list.
     *
     * @param names the header names; may be empty
     * @return this builder
     * @throws IllegalArgumentException if a name is not an HTTP token
     * @throws NullPointerException if {@code names} or one of them is null
     */
    public Builder inputHeaders(List<String> names) {
      requireNonNull(names, "names");
      Set<String> set = new LinkedHashSet<>();
      for (int i = 0; i < names.size(); i++) {
        String name = requireNonNull(names.get(i), "inputHeaders[" + i + "]");
        if (name.isEmpty() || !name.chars().allMatch(HeaderRules::isTokenChar)) {
          throw new IllegalArgumentException("inputHeaders[" + i + "] must be an HTTP header name, but was '" + name + "'");
        }
        set.add(name.toLowerCase(Locale.ROOT));
      }
      this.inputHeaders = Collections.unmodifiableSet(set);
      return this;
    }

    /**
     * Sends every event header again, undoing {@link #inputHeaders(List)}. The default.
     *
     * @return this builder
     */
    public Builder allInputHeaders() {
      this.inputHeaders = null;
      return this;
    }

    /**
     * Builds the backend, with an HTTP client of its own.
     *
     * @return a new backend, owning a new HTTP client
     * @throws InvalidConfigException if {@code host} was not set
     */
    public HttpBackend build() {
      if (hosts.isEmpty()) {
        throw new InvalidConfigException("HTTP backend", List.of(new Violation("host", "at least one host is required")));
      }
      return new HttpBackend(this);
    }


    private static BitSet range(int first, int last) {
      BitSet set = new BitSet(600);
      set.set(first, last + 1);
      return set;
    }


  }
}
