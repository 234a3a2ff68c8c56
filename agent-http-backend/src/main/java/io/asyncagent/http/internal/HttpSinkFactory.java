package io.asyncagent.http.internal;

import io.asyncagent.BackendSink;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.SinkFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads a KrakenD {@code backend} entry into an {@link HttpBackend} recipe. Found by
 * {@link java.util.ServiceLoader}. Each value goes through the builder setter that checks it, so that a file
 * and a program get the same rules.
 *
 * <p>What KrakenD does with an agent's backend, and what is kept: {@code host} falls back to the root's;
 * hosts are sanitized ({@code billing:8080} becomes {@code http://billing:8080}) unless
 * {@code disable_host_sanitize}; {@code method} defaults to GET, the body sent all the same;
 * {@code encoding: "no-op"} counts every status as success. The fields that shape a response — which an
 * agent throws away — are accepted and do nothing.
 */
public final class HttpSinkFactory implements SinkFactory {
  static final List<String> FIELDS = List.of("allow", "deny", "disable_host_sanitize", "encoding", "extra_config",
      "group", "host", "input_headers", "input_query_strings", "is_collection", "mapping", "method", "sd",
      "sd_scheme", "target", "timeout", "url_pattern");
  /** KrakenD's backend encodings; {@code fast-json} and {@code yaml} are its Enterprise ones. */
  static final List<String> ENCODINGS = List.of("json", "safejson", "fast-json", "xml", "rss", "string", "no-op",
      "yaml");
  /** KrakenD's default for an agent's backend: the proxy request of an agent has no method of its own. */
  static final String DEFAULT_METHOD = "GET";
  private static final int[] EVERY_STATUS = IntStream.rangeClosed(100, 599).toArray();

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public HttpSinkFactory() {}

  @Override
  public String kind() {
    return "http";
  }

  /** Takes every entry: a KrakenD backend is HTTP unless an {@code extra_config} namespace makes it more. */
  @Override
  public boolean accepts(ConfigNode backend) {
    return true;
  }

  @Override
  public Optional<Supplier<BackendSink>> create(ConfigNode backend, Defaults defaults) {
    int before = backend.problemCount();
    backend.rejectUnknown(FIELDS);
    HttpBackend.Builder builder = HttpBackend.builder();
    List<Target> targets = hosts(backend, defaults, builder);
    Optional<String> urlPattern = backend.string("url_pattern");
    if (!backend.has("url_pattern")) {
      backend.report("url_pattern", "is required");
    }
    backend.apply("url_pattern", urlPattern, builder::urlPattern);
    String method = backend.string("method").orElse(DEFAULT_METHOD);
    backend.apply("method", Optional.of(method), builder::method);
    backend.convert("encoding", backend.string("encoding"), HttpSinkFactory::encoding)
        .filter("no-op"::equals)
        .ifPresent(noOp -> builder.successStatuses(EVERY_STATUS));
    inputHeaders(backend, builder);
    backend.string("sd").filter(sd -> !sd.equals("static")).ifPresent(sd -> backend.report("sd",
        "must be \"static\" (service discovery through DNS SRV records is not supported), but was \"" + sd + "\""));
    inert(backend);
    backend.object("extra_config").ifPresent(extra -> extra.keys().forEach(namespace -> extra.report(namespace,
        "is not supported: this library's HTTP backend takes no extra_config namespace")));
    if (backend.problemCount() > before) {
      return Optional.empty();
    }
    String description = method.toUpperCase(Locale.ROOT) + " " + targets.stream()
        .map(target -> target.display() + urlPattern.orElseThrow())
        .collect(Collectors.joining(" | "));
    return Optional.of(new Recipe(builder, description));
  }

  /** Reads {@code host}, or takes the root's; sanitizes each as KrakenD does unless told not to. */
  private static List<Target> hosts(ConfigNode backend, Defaults defaults, HttpBackend.Builder builder) {
    boolean sanitize = !backend.bool("disable_host_sanitize").orElse(false);
    Optional<List<String>> own = backend.strings("host");
    if (own.isEmpty() && backend.has("host")) {
      return List.of(); // reported: not an array of strings
    }
    boolean inherited = own.map(List::isEmpty).orElse(true);
    List<String> hosts = inherited ? defaults.hosts() : own.get();
    if (hosts.isEmpty()) {
      backend.report("host", "is required when the file's root has no host, but neither names one");
      return List.of();
    }
    List<Target> targets = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      String url = sanitize ? sanitized(hosts.get(i)) : hosts.get(i);
      String field = "host[" + i + "]";
      try {
        targets.add(Target.parse(field, url));
        urls.add(url);
      } catch (IllegalArgumentException e) {
        String rule = e.getMessage().substring(field.length() + 1).replace("urlPattern", "url_pattern");
        if (inherited) {
          backend.report("host", rule + " (the root's host[" + i + "], which this backend inherits)");
        } else {
          backend.report("host", i, rule);
        }
      }
    }
    if (targets.size() < hosts.size()) {
      return List.of();
    }
    builder.hosts(urls);
    return targets;
  }

  /**
   * KrakenD's host sanitizing, in the part that matters for a valid URL: a host without a scheme gets
   * {@code http://}, and a trailing slash is dropped.
   */
  static String sanitized(String host) {
    String url = host.contains("://") ? host : "http://" + host;
    boolean trailingSlash = url.endsWith("/") && url.length() > url.indexOf("://") + 3;
    return trailingSlash ? url.substring(0, url.length() - 1) : url;
  }

  private static String encoding(String value) {
    if (!ENCODINGS.contains(value)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", ENCODINGS) + ", but was \"" + value
          + "\"");
    }
    return value;
  }

  /**
   * KrakenD's {@code input_headers}: absent or {@code []} sends every header, as does a list holding
   * {@code "*"}; {@code [""]} sends none; otherwise only those named.
   */
  private static void inputHeaders(ConfigNode backend, HttpBackend.Builder builder) {
    backend.strings("input_headers")
        .filter(names -> !names.isEmpty() && !names.contains("*"))
        .map(names -> names.stream().filter(name -> !name.isEmpty()).collect(Collectors.toList()))
        .ifPresent(names -> backend.apply("input_headers", Optional.of(names), builder::inputHeaders));
  }

  /**
   * Checks the type of the fields that cannot matter to an agent, which throws every response away:
   * {@code allow}, {@code deny}, {@code mapping}, {@code group}, {@code target}, {@code is_collection} shape
   * the response; {@code input_query_strings} filters a query string an event does not have; {@code timeout}
   * is replaced by the agent's {@code consumer.timeout}, as in KrakenD; {@code sd_scheme} is read only by DNS
   * service discovery.
   */
  private static void inert(ConfigNode backend) {
    backend.strings("allow");
    backend.strings("deny");
    backend.object("mapping");
    backend.string("group");
    backend.string("target");
    backend.bool("is_collection");
    backend.strings("input_query_strings");
    backend.duration("timeout");
    backend.string("sd_scheme");
  }

  /** Builds a fresh backend, with a client of its own, each time it is called. */
  private static final class Recipe implements Supplier<BackendSink> {
    private final HttpBackend.Builder builder;
    private final String description;

    Recipe(HttpBackend.Builder builder, String description) {
      this.builder = builder;
      this.description = description;
    }

    @Override
    public BackendSink get() {
      synchronized (builder) {
        return builder.build();
      }
    }

    /** Returns the method and the URLs, credentials masked: {@code GET http://billing:8080/events}. */
    @Override
    public String toString() {
      return description;
    }
  }
}
