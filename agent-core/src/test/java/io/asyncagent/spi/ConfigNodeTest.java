package io.asyncagent.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
  private static final String AGENT = "async_agent[0]";

  private final List<Violation> violations = new ArrayList<>();

  @Test
  void writesPathsWithPlainKeysBareAndOtherKeysQuoted() {
    ConfigNode extra = node(AGENT + ".extra_config", Map.of());

    assertThat(extra.path()).isEqualTo("async_agent[0].extra_config");
    assertThat(extra.path("asyncagent")).isEqualTo("async_agent[0].extra_config.asyncagent");
    assertThat(extra.path("async/kafka")).isEqualTo("async_agent[0].extra_config.\"async/kafka\"");
    assertThat(extra.path("key-meta")).isEqualTo("async_agent[0].extra_config.\"key-meta\"");
    assertThat(ConfigNode.childPath("", "async_agent")).isEqualTo("async_agent");
    assertThat(ConfigNode.childPath("", "a.b")).isEqualTo("\"a.b\"");
  }

  @Test
  void givesChildNodesTheirPathsAndTheSharedList() {
    ConfigNode root = node("", Map.of(
        "async_agent", List.of(Map.of("extra_config", Map.of("async/kafka", Map.of("group", Map.of("id", 5)))))));

    ConfigNode group = root.objects("async_agent").orElseThrow().get(0).object("extra_config").orElseThrow()
        .object("async/kafka").orElseThrow().object("group").orElseThrow();
    group.string("id");

    assertThat(group.path()).isEqualTo("async_agent[0].extra_config.\"async/kafka\".group");
    assertThat(group).hasToString("ConfigNode{async_agent[0].extra_config.\"async/kafka\".group}");
    assertThat(messages())
        .containsExactly("async_agent[0].extra_config.\"async/kafka\".group.id: must be a string, but was 5");
    assertThat(root.problemCount()).isEqualTo(1);
  }

  @Test
  void reportsAFieldAnElementOfAnArrayFieldOrTheWholeObject() {
    ConfigNode consumer = node(AGENT + ".consumer", Map.of());

    consumer.report("topic", "is required");
    consumer.report("topic", 2, "must not be blank, but was \"\"");
    consumer.report("must be an object");

    assertThat(messages()).containsExactly(
        "async_agent[0].consumer.topic: is required",
        "async_agent[0].consumer.topic[2]: must not be blank, but was \"\"",
        "async_agent[0].consumer: must be an object");
  }

  @Test
  void readsEachTypeAndReadsAnAbsentFieldAsEmptyWithoutAProblem() {
    ConfigNode node = node(AGENT, fields(
        "s", "text", "b", true, "n", new BigDecimal("0.5"), "i", 20, "l", 67_108_864L, "d", "1m30s",
        "ss", List.of("a", "b"), "is", List.of(23, 24), "o", Map.of("k", "v"), "os", List.of(Map.of(), Map.of())));

    assertThat(node.string("s")).contains("text");
    assertThat(node.bool("b")).contains(true);
    assertThat(node.number("n")).contains(0.5);
    assertThat(node.integer("i")).contains(20);
    assertThat(node.longInteger("l")).contains(67_108_864L);
    assertThat(node.duration("d")).contains(Duration.ofSeconds(90));
    assertThat(node.strings("ss")).contains(List.of("a", "b"));
    assertThat(node.integers("is")).contains(List.of(23, 24));
    assertThat(node.object("o").orElseThrow().string("k")).contains("v");
    assertThat(node.objects("os").orElseThrow()).extracting(ConfigNode::path)
        .containsExactly("async_agent[0].os[0]", "async_agent[0].os[1]");
    assertThat(node.string("absent")).isEmpty();
    assertThat(node.duration("absent")).isEmpty();
    assertThat(node.objects("absent")).isEmpty();
    assertThat(violations).isEmpty();
  }

  @Test
  void reportsAValueOfTheWrongTypeNamingWhatItShouldBeAndWhatItWas() {
    ConfigNode node = node(AGENT, fields(
        "s", 5, "b", "yes", "n", "0.5", "i", "20", "d", 150, "ss", "a", "is", List.of(1, "2"),
        "o", List.of(), "os", List.of(Map.of(), 3), "nul", null));

    node.string("s");
    node.bool("b");
    node.number("n");
    node.integer("i");
    node.duration("d");
    node.strings("ss");
    node.integers("is");
    node.object("o");
    node.objects("os");
    node.string("nul");

    assertThat(messages()).containsExactly(
        AGENT + ".s: must be a string, but was 5",
        AGENT + ".b: must be true or false, but was \"yes\"",
        AGENT + ".n: must be a number, but was \"0.5\"",
        AGENT + ".i: must be a whole number, but was \"20\"",
        AGENT + ".d: must be a Go duration such as \"250ms\" or \"1m30s\", but was 150",
        AGENT + ".ss: must be an array of strings, but was \"a\"",
        AGENT + ".is: must be an array of whole numbers, but holds \"2\"",
        AGENT + ".o: must be an object, but was an array",
        AGENT + ".os: must be an array of objects, but holds 3",
        AGENT + ".nul: must be a string, but was null");
  }

  @Test
  void reportsFractionsAndNumbersOutOfRangeAsNotWhole() {
    ConfigNode node = node(AGENT, fields("fraction", new BigDecimal("1.5"), "huge", new BigInteger("3000000000"),
        "hugeLong", new BigInteger("10000000000000000000"), "fractions", List.of(1, new BigDecimal("2.5")),
        "zeroFraction", new BigDecimal("20.0")));

    assertThat(node.integer("fraction")).isEmpty();
    assertThat(node.integer("huge")).isEmpty();
    assertThat(node.longInteger("huge")).contains(3_000_000_000L);
    assertThat(node.longInteger("hugeLong")).isEmpty();
    assertThat(node.integers("fractions")).isEmpty();
    assertThat(node.integer("zeroFraction")).contains(20);
    assertThat(messages()).containsExactly(
        AGENT + ".fraction: must be a whole number from -2147483648 to 2147483647, but was 1.5",
        AGENT + ".huge: must be a whole number from -2147483648 to 2147483647, but was 3000000000",
        AGENT + ".hugeLong: must be a whole number from -9223372036854775808 to 9223372036854775807, but was"
            + " 10000000000000000000",
        AGENT + ".fractions: must be an array of whole numbers, but holds 2.5");
  }

  @Test
  void readsGoDurationsAndReportsAMalformedOneWithItsText() {
    ConfigNode node = node(AGENT, fields("a", "250ms", "b", "2h45m", "c", "1.5h", "d", "-1s", "e", "0",
        "bad", "10 seconds", "unitless", "30"));

    assertThat(Arrays.asList(node.duration("a"), node.duration("b"), node.duration("c"), node.duration("d"),
        node.duration("e"))).containsExactly(Optional.of(Duration.ofMillis(250)), Optional.of(Duration.ofMinutes(165)),
        Optional.of(Duration.ofMinutes(90)), Optional.of(Duration.ofSeconds(-1)), Optional.of(Duration.ZERO));
    assertThat(node.duration("bad")).isEmpty();
    assertThat(node.duration("unitless")).isEmpty();
    assertThat(messages()).containsExactly(
        AGENT + ".bad: must be a Go duration such as \"250ms\" or \"1m30s\", but was \"10 seconds\"",
        AGENT + ".unitless: must be a Go duration such as \"250ms\" or \"1m30s\", but was \"30\"");
  }

  @Test
  void rejectsUnknownFieldsListingTheKnownOnesButNeverAComment() {
    ConfigNode node = node(AGENT, fields("name", "a", "colour", "red", "@comment", "x", "$schema", "y",
        "_note", "z", "#tag", "t", "size", 1));

    node.rejectUnknown(List.of("name", "consumer", "backend"));

    assertThat(node.keys()).containsExactly("colour", "name", "size");
    assertThat(messages()).containsExactly(
        AGENT + ".colour: unknown field; the fields here are backend, consumer, name",
        AGENT + ".size: unknown field; the fields here are backend, consumer, name");
  }

  @Test
  void tellsWhichSpellingIsPresentAndReportsTheSecondWhenBothAre() {
    ConfigNode documented = node("g1", Map.of("group_id", "a"));
    ConfigNode both = node("g2", fields("id", "a", "group_id", "b"));
    ConfigNode neither = node("g3", Map.of());

    assertThat(documented.spelling("id", "group_id")).contains("group_id");
    assertThat(both.spelling("id", "group_id")).contains("id");
    assertThat(neither.spelling("id", "group_id")).isEmpty();
    assertThat(messages()).containsExactly("g2.group_id: is another spelling of id; give only one of them");
  }

  @Test
  void appliesAValueThroughABuilderSetterAndReportsItsRuleWithoutTheBuildersName() {
    ConfigNode node = node(AGENT + ".consumer", fields("workers", 0, "timeout", "-1s", "good", 4));
    AsyncAgent.Builder builder = AsyncAgent.builder();

    node.apply("workers", node.integer("workers"), builder::workers);
    node.apply("timeout", node.duration("timeout"), builder::timeout);
    node.apply("good", node.integer("good"), builder::workers);
    node.apply("absent", node.integer("absent"), workers -> {
      throw new AssertionError("an absent value is not applied");
    });

    assertThat(messages()).containsExactly(
        AGENT + ".consumer.workers: must be >= 1, but was 0",
        AGENT + ".consumer.timeout: must be > 0, but was -1s");
  }

  @Test
  void reportsABuildersElementUnderItsIndexAndItsSingleQuotedValueAsJsonQuotesIt() {
    ConfigNode node = node(AGENT + ".consumer", fields("topic", List.of("a", " "), "name", "x"));

    node.apply("topic", node.strings("topic"), topics -> {
      throw new IllegalArgumentException("topics[1] must not be blank, but was ' '");
    });
    node.apply("name", node.string("name"), name -> {
      throw new IllegalArgumentException("name must be a URL, but was 'x': Expected authority");
    });
    node.report("name", "is odd, but was 'it's' here");

    assertThat(messages()).containsExactly(
        AGENT + ".consumer.topic[1]: must not be blank, but was \" \"",
        AGENT + ".consumer.name: must be a URL, but was \"x\": Expected authority",
        AGENT + ".consumer.name: is odd, but was \"it\"s' here");
  }

  @Test
  void convertsAValueAndReportsTheConvertersMessage() {
    ConfigNode node = node(AGENT, fields("level", "serializable", "ok", "7"));

    Optional<Integer> bad = node.convert("level", node.string("level"), value -> {
      throw new IllegalArgumentException("isolation_level must be read_committed, but was \"" + value + "\"");
    });
    Optional<Integer> ok = node.convert("ok", node.string("ok"), Integer::valueOf);

    assertThat(bad).isEmpty();
    assertThat(ok).contains(7);
    assertThat(messages()).containsExactly(AGENT + ".level: must be read_committed, but was \"serializable\"");
  }

  @Test
  void keepsAMessageWhoseFirstWordIsNotASettingName() {
    assertThat(ConfigNode.rule("must be >= 1, but was 0")).isEqualTo("must be >= 1, but was 0");
    assertThat(ConfigNode.rule("workers must be >= 1, but was 0")).isEqualTo("must be >= 1, but was 0");
    assertThat(ConfigNode.rule("name is blank")).isEqualTo("is blank");
    assertThat(ConfigNode.rule("cluster.brokers cannot be empty")).isEqualTo("cannot be empty");
    assertThat(ConfigNode.rule("host[0]: must start with http://")).isEqualTo("host[0]: must start with http://");
    assertThat(ConfigNode.rule("onFailure.backoff initial must be > 0")).isEqualTo("onFailure.backoff initial must be > 0");
  }

  @Test
  void describesValuesAsAFileShowsThem() {
    assertThat(ConfigNode.describe(null)).isEqualTo("null");
    assertThat(ConfigNode.describe("x")).isEqualTo("\"x\"");
    assertThat(ConfigNode.describe(Map.of())).isEqualTo("an object");
    assertThat(ConfigNode.describe(List.of())).isEqualTo("an array");
    assertThat(ConfigNode.describe(1.5)).isEqualTo("1.5");
    assertThat(ConfigNode.describe(true)).isEqualTo("true");
  }

  @Test
  void tellsAFieldPresentWithNullFromAnAbsentOneAndGivesRawValues() {
    ConfigNode node = node(AGENT, fields("nul", null, "list", List.of(1)));

    assertThat(node.has("nul")).isTrue();
    assertThat(node.has("absent")).isFalse();
    assertThat(node.raw("nul")).isEmpty();
    assertThat(node.raw("list")).contains(List.of(1));
  }

  private ConfigNode node(String path, Map<String, ?> fields) {
    return ConfigNode.of(path, fields, violations);
  }

  /** A map in the order given, which may hold null. */
  private static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private List<String> messages() {
    return violations.stream().map(Violation::toString).toList();
  }
}
