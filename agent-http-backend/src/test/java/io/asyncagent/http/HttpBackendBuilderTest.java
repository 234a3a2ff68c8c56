package io.asyncagent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpBackendBuilderTest {

  @Test
  void hasDefaultsForEverythingButTheHost() {
    HttpBackend backend = HttpBackend.builder().host("http://billing:8080").build();

    assertThat(backend.hosts()).containsExactly(URI.create("http://billing:8080"));
    assertThat(backend.urlPattern()).isEqualTo("/");
    assertThat(backend.method()).isEqualTo("POST");
    assertThat(backend.timeout()).isEmpty();
    assertThat(backend.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void keepsEverySetting() {
    HttpBackend backend = HttpBackend.builder()
        .host("http://a:1", "https://b:2")
        .urlPattern("/events?source=kafka")
        .method("patch")
        .timeout(Duration.ofMillis(1500))
        .connectTimeout(Duration.ofSeconds(3))
        .build();

    assertThat(backend.hosts()).containsExactly(URI.create("http://a:1"), URI.create("https://b:2"));
    assertThat(backend.urlPattern()).isEqualTo("/events?source=kafka");
    assertThat(backend.method()).isEqualTo("PATCH");
    assertThat(backend.timeout()).contains(Duration.ofMillis(1500));
    assertThat(backend.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void requiresAHostAtBuild() {
    assertThatThrownBy(() -> HttpBackend.builder().urlPattern("/events").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid HTTP backend: host: at least one host is required")
        .satisfies(e -> assertThat(((InvalidConfigException) e).violations())
            .containsExactly(new Violation("host", "at least one host is required")));
  }

  @Test
  void rejectsAnEmptyHostList() {
    assertThatThrownBy(() -> HttpBackend.builder().host())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must name at least one host, but was empty");
    assertThatThrownBy(() -> HttpBackend.builder().hosts(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must name at least one host, but was empty");
  }

  @Test
  void rejectsNullHosts() {
    assertThatThrownBy(() -> HttpBackend.builder().host((String[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("hosts");
    assertThatThrownBy(() -> HttpBackend.builder().hosts(Arrays.asList("http://a:1", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("host[1]");
  }

  @Test
  void rejectsAHostWithAnotherScheme() {
    assertThatThrownBy(() -> HttpBackend.builder().host("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must start with http:// or https://, but was 'ftp://x'");
  }

  @Test
  void rejectsAHostWithoutScheme() {
    assertThatThrownBy(() -> HttpBackend.builder().host("billing:8080"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must start with http:// or https://, but was 'billing:8080'");
    assertThatThrownBy(() -> HttpBackend.builder().host("//billing:8080"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must start with http:// or https://, but was '//billing:8080'");
  }

  @Test
  void namesTheIndexOfTheBadHost() {
    assertThatThrownBy(() -> HttpBackend.builder().host("http://a:1", "ftp://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[1] must start with http:// or https://, but was 'ftp://x'");
  }

  @Test
  void rejectsAHostWithAPath() {
    assertThatThrownBy(() -> HttpBackend.builder().host("http://billing:8080/path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must not have a path, query or fragment (put the path in urlPattern), "
            + "but was 'http://billing:8080/path'");
  }

  @Test
  void rejectsAHostWithAQueryOrFragment() {
    assertThatThrownBy(() -> HttpBackend.builder().host("http://billing:8080?a=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must not have a path, query or fragment (put the path in urlPattern), "
            + "but was 'http://billing:8080?a=1'");
    assertThatThrownBy(() -> HttpBackend.builder().host("http://billing:8080#top"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must not have a path, query or fragment (put the path in urlPattern), "
            + "but was 'http://billing:8080#top'");
  }

  @Test
  void rejectsAHostThatIsNotAUrl() {
    assertThatThrownBy(() -> HttpBackend.builder().host("http://bad host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must be a URL such as http://billing:8080, but was 'http://bad host': "
            + "Illegal character in authority");
  }

  @Test
  void rejectsAHostWithoutAHostName() {
    assertThatThrownBy(() -> HttpBackend.builder().host("http://bil_ling:8080"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host[0] must name a host, such as http://billing:8080, but was 'http://bil_ling:8080'");
  }

  @Test
  void keepsTheEarlierHostsWhenNewOnesAreRejected() {
    HttpBackend.Builder builder = HttpBackend.builder().host("http://a:1");

    assertThatThrownBy(() -> builder.host("http://b:2", "ftp://x")).isInstanceOf(IllegalArgumentException.class);

    assertThat(builder.build().hosts()).containsExactly(URI.create("http://a:1"));
  }

  @Test
  void replacesTheHostsSetBefore() {
    HttpBackend backend = HttpBackend.builder().host("http://a:1", "http://b:2").host("http://c:3").build();

    assertThat(backend.hosts()).containsExactly(URI.create("http://c:3"));
  }

  @Test
  void dropsATrailingSlashFromAHost() {
    HttpBackend backend = HttpBackend.builder().host("http://h:1/").urlPattern("/events").build();

    assertThat(backend.hosts()).containsExactly(URI.create("http://h:1"));
    assertThat(backend).hasToString("HttpBackend{POST http://h:1/events}");
  }

  @Test
  void rejectsAUrlPatternNotStartingWithSlash() {
    assertThatThrownBy(() -> HttpBackend.builder().urlPattern("events"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("urlPattern must start with '/', but was 'events'");
    assertThatThrownBy(() -> HttpBackend.builder().urlPattern(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("urlPattern must start with '/', but was ''");
  }

  @Test
  void rejectsAUrlPatternWithAnIllegalCharacter() {
    assertThatThrownBy(() -> HttpBackend.builder().urlPattern("/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("urlPattern must be a valid URI path, but was '/a b': Illegal character in path");
    assertThatThrownBy(() -> HttpBackend.builder().urlPattern("/%zz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("urlPattern must be a valid URI path, but was '/%zz': Malformed escape pair");
  }

  @Test
  void rejectsAMethodThatIsNotAToken() {
    assertThatThrownBy(() -> HttpBackend.builder().method("PO ST"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method must be an HTTP method such as POST, but was 'PO ST'");
    assertThatThrownBy(() -> HttpBackend.builder().method(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method must be an HTTP method such as POST, but was ''");
    assertThatThrownBy(() -> HttpBackend.builder().method("PO/ST"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method must be an HTTP method such as POST, but was 'PO/ST'");
  }

  @Test
  void rejectsTheConnectMethodAtOnce() {
    assertThatThrownBy(() -> HttpBackend.builder().method("connect"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method must be an HTTP method such as POST, but was 'connect'");
  }

  @Test
  void rejectsATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> HttpBackend.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0, but was 0s");
    assertThatThrownBy(() -> HttpBackend.builder().timeout(Duration.ofMillis(-1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0, but was -1.5s");
    assertThatThrownBy(() -> HttpBackend.builder().timeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
  }

  @Test
  void rejectsAConnectTimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> HttpBackend.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be > 0, but was 0s");
    assertThatThrownBy(() -> HttpBackend.builder().connectTimeout(Duration.ofMillis(-150)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be > 0, but was -150ms");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    HttpBackend original = HttpBackend.builder()
        .host("http://a:1", "https://b:2")
        .urlPattern("/events?source=kafka")
        .method("put")
        .timeout(Duration.ofMillis(750))
        .connectTimeout(Duration.ofSeconds(4))
        .build();

    HttpBackend copy = original.toBuilder().build();

    assertThat(copy).isNotSameAs(original);
    assertThat(copy.hosts()).containsExactly(URI.create("http://a:1"), URI.create("https://b:2"));
    assertThat(copy.urlPattern()).isEqualTo("/events?source=kafka");
    assertThat(copy.method()).isEqualTo("PUT");
    assertThat(copy.timeout()).contains(Duration.ofMillis(750));
    assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(copy).hasToString(original.toString());
  }

  @Test
  void toBuilderChangesDoNotAffectTheOriginal() {
    HttpBackend original = HttpBackend.builder().host("http://a:1").urlPattern("/events").build();

    HttpBackend changed = original.toBuilder().host("http://c:3").method("put").build();

    assertThat(changed).hasToString("HttpBackend{PUT http://c:3/events}");
    assertThat(original).hasToString("HttpBackend{POST http://a:1/events}");
    assertThat(original.hosts()).containsExactly(URI.create("http://a:1"));
  }

  @Test
  void equalityIsIdentity() {
    HttpBackend backend = HttpBackend.builder().host("http://a:1").build();

    assertThat(backend).isEqualTo(backend).isNotEqualTo(backend.toBuilder().build());
  }

  @Test
  void rejectsMaxConnectionsBelowOneAndKeepsItThroughToBuilder() {
    assertThatThrownBy(() -> HttpBackend.builder().maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnections must be >= 1, but was 0");
    HttpBackend backend = HttpBackend.builder().host("http://h:1").maxConnections(8).build();

    assertThat(backend.maxConnections()).isEqualTo(8);
    assertThat(backend.toBuilder().build().maxConnections()).isEqualTo(8);
    assertThat(HttpBackend.builder().host("http://h:1").build().maxConnections()).isEqualTo(64);
  }
}
