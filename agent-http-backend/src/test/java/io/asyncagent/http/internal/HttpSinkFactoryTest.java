package io.asyncagent.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.BackendSink;
import io.asyncagent.Violation;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.SinkFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HttpSinkFactoryTest {
  private static final String PATH = "async_agent[0].backend[0]";
  private static final SinkFactory.Defaults NO_ROOT_HOST =
      new SinkFactory.Defaults("agent", Duration.ofSeconds(2), List.of());

  private final List<Violation> violations = new ArrayList<>();

  @Test
  void isFoundByServiceLoaderAsTheHttpKindAndTakesEveryEntry() {
    List<SinkFactory> factories = new ArrayList<>();
    ServiceLoader.load(SinkFactory.class).forEach(factories::add);

    assertThat(factories).hasSize(1).first().isInstanceOf(HttpSinkFactory.class);
    assertThat(factories.get(0).kind()).isEqualTo("http");
    assertThat(factories.get(0).accepts(node(Map.of()))).isTrue();
  }

  @Test
  void defaultsToKrakendsGetAnd2xxAndDescribesTheRecipe() {
    Supplier<BackendSink> recipe = create(Map.of("host", List.of("http://billing:8080"), "url_pattern", "/events"));

    assertThat(recipe).hasToString("GET http://billing:8080/events");
    try (HttpBackend backend = (HttpBackend) recipe.get()) {
      assertThat(backend.method()).isEqualTo("GET");
      assertThat(backend.hosts()).containsExactly(URI.create("http://billing:8080"));
      assertThat(backend.urlPattern()).isEqualTo("/events");
      assertThat(backend.isSuccess(204)).isTrue();
      assertThat(backend.isSuccess(500)).isFalse();
      assertThat(backend.inputHeaders()).isEmpty();
    }
  }

  @Test
  void eachCallOfTheRecipeBuildsAFreshBackend() {
    Supplier<BackendSink> recipe = create(Map.of("host", List.of("http://billing:8080"), "url_pattern", "/events"));

    try (HttpBackend first = (HttpBackend) recipe.get(); HttpBackend second = (HttpBackend) recipe.get()) {
      assertThat(first).isNotSameAs(second);
    }
  }

  @Test
  void noOpEncodingCountsEveryStatusAsSuccessAsKrakendsNoOpStatusHandler() {
    Supplier<BackendSink> recipe = create(Map.of("host", List.of("http://billing:8080"), "url_pattern", "/events",
        "encoding", "no-op", "method", "post"));

    try (HttpBackend backend = (HttpBackend) recipe.get()) {
      assertThat(backend.method()).isEqualTo("POST");
      assertThat(backend.isSuccess(100)).isTrue();
      assertThat(backend.isSuccess(404)).isTrue();
      assertThat(backend.isSuccess(599)).isTrue();
    }
  }

  @Test
  void takesTheRootsHostsWhenTheEntryHasNoneOrAnEmptyListAndSanitizesThem() {
    SinkFactory.Defaults defaults = new SinkFactory.Defaults("agent", Duration.ofSeconds(2),
        List.of("billing:8080/", "https://copy.example.com"));

    for (Map<String, Object> entry : List.<Map<String, Object>>of(Map.of("url_pattern", "/x"),
        Map.of("url_pattern", "/x", "host", List.of()))) {
      Supplier<BackendSink> recipe = new HttpSinkFactory().create(node(entry), defaults).orElseThrow();
      assertThat(recipe).hasToString("GET http://billing:8080/x | https://copy.example.com/x");
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void keepsAHostAsWrittenWhenSanitizingIsDisabledAndMasksItsCredentials() {
    Supplier<BackendSink> recipe = create(Map.of("host", List.of("https://user:secret@billing"),
        "disable_host_sanitize", true, "url_pattern", "/events"));

    assertThat(recipe).hasToString("GET https://****@billing/events");
  }

  @Test
  void mapsInputHeadersAsKrakendReadsThem() {
    assertThat(inputHeaders(List.of())).isEmpty();
    assertThat(inputHeaders(List.of("*"))).isEmpty();
    assertThat(inputHeaders(List.of("Message-Id", "*"))).isEmpty();
    assertThat(inputHeaders(List.of(""))).contains(Set.of());
    assertThat(inputHeaders(List.of("Message-Id", "X-Trace"))).contains(Set.of("message-id", "x-trace"));
  }

  @Test
  void acceptsTheFieldsThatCannotMatterToAnAgentAndStaticServiceDiscovery() {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("host", List.of("http://billing:8080"));
    entry.put("url_pattern", "/events");
    entry.put("allow", List.of("a"));
    entry.put("deny", List.of("b"));
    entry.put("mapping", Map.of("a", "c"));
    entry.put("group", "g");
    entry.put("target", "data");
    entry.put("is_collection", true);
    entry.put("input_query_strings", List.of("page"));
    entry.put("timeout", "5s");
    entry.put("sd", "static");
    entry.put("sd_scheme", "https");
    entry.put("extra_config", Map.of("@comment", "only a comment"));
    entry.put("@comment", "comment");

    assertThat(new HttpSinkFactory().create(node(entry), NO_ROOT_HOST)).isPresent();
    assertThat(violations).isEmpty();
  }

  @Test
  void reportsEveryProblemOfAnEntryWithItsPath() {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("host", List.of("ftp://billing", "billing:8080"));
    entry.put("method", "GE T");
    entry.put("encoding", "avro");
    entry.put("sd", "dns-shared");
    entry.put("extra_config", Map.of("backend/http", Map.of()));
    entry.put("retries", 3);

    assertThat(new HttpSinkFactory().create(node(entry), NO_ROOT_HOST)).isEmpty();

    assertThat(violations).extracting(Violation::toString).containsExactly(
        PATH + ".retries: unknown field; the fields here are allow, deny, disable_host_sanitize, encoding,"
            + " extra_config, group, host, input_headers, input_query_strings, is_collection, mapping, method, sd,"
            + " sd_scheme, target, timeout, url_pattern",
        PATH + ".host[0]: must start with http:// or https://, but was \"ftp://billing\"",
        PATH + ".url_pattern: is required",
        PATH + ".method: must be an HTTP method such as POST, but was \"GE T\"",
        PATH + ".encoding: must be one of json, safejson, fast-json, xml, rss, string, no-op, yaml, but was \"avro\"",
        PATH + ".sd: must be \"static\" (service discovery through DNS SRV records is not supported), but was"
            + " \"dns-shared\"",
        PATH + ".extra_config.\"backend/http\": is not supported: this library's HTTP backend takes no extra_config"
            + " namespace");
  }

  @Test
  void reportsAMissingHostWhenTheRootHasNoneEither() {
    assertThat(new HttpSinkFactory().create(node(Map.of("url_pattern", "/x")), NO_ROOT_HOST)).isEmpty();

    assertThat(violations).extracting(Violation::toString)
        .containsExactly(PATH + ".host: is required when the file's root has no host, but neither names one");
  }

  @Test
  void reportsABadInheritedHostUnderTheEntrysHostNamingTheRoots() {
    SinkFactory.Defaults defaults = new SinkFactory.Defaults("agent", Duration.ofSeconds(2),
        List.of("http://ok:1", "http://bad/path"));

    assertThat(new HttpSinkFactory().create(node(Map.of("url_pattern", "/x")), defaults)).isEmpty();

    assertThat(violations).extracting(Violation::toString).containsExactly(PATH + ".host: must not have a path,"
        + " query or fragment (put the path in url_pattern), but was \"http://bad/path\" (the root's host[1], which"
        + " this backend inherits)");
  }

  @Test
  void sanitizesAsKrakendDoesInThePartThatMakesAValidUrl() {
    assertThat(HttpSinkFactory.sanitized("billing:8080")).isEqualTo("http://billing:8080");
    assertThat(HttpSinkFactory.sanitized("billing:8080/")).isEqualTo("http://billing:8080");
    assertThat(HttpSinkFactory.sanitized("https://billing/")).isEqualTo("https://billing");
    assertThat(HttpSinkFactory.sanitized("http://")).isEqualTo("http://");
  }

  private Optional<Set<String>> inputHeaders(List<String> names) {
    Supplier<BackendSink> recipe = create(Map.of("host", List.of("http://billing:8080"), "url_pattern", "/events",
        "input_headers", names));
    try (HttpBackend backend = (HttpBackend) recipe.get()) {
      return backend.inputHeaders();
    }
  }

  private Supplier<BackendSink> create(Map<String, Object> entry) {
    Optional<Supplier<BackendSink>> recipe = new HttpSinkFactory().create(node(entry), NO_ROOT_HOST);
    assertThat(violations).isEmpty();
    return recipe.orElseThrow();
  }

  private ConfigNode node(Map<String, ?> entry) {
    return ConfigNode.of(PATH, entry, violations);
  }
}
