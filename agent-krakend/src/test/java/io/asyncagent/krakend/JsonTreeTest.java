package io.asyncagent.krakend;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.Violation;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreeTest {
  private final List<Violation> violations = new ArrayList<>();

  @Test
  void stepsUpOneLevelOfAPathAsConfigNodeWritesThem() {
    assertThat(JsonTree.parent("async_agent[0].extra_config.\"async/kafka\".group.id"))
        .isEqualTo("async_agent[0].extra_config.\"async/kafka\".group");
    assertThat(JsonTree.parent("async_agent[0].extra_config.\"async/kafka\""))
        .isEqualTo("async_agent[0].extra_config");
    assertThat(JsonTree.parent("async_agent[0].consumer.topic[2]")).isEqualTo("async_agent[0].consumer.topic");
    assertThat(JsonTree.parent("async_agent[0]")).isEqualTo("async_agent");
    assertThat(JsonTree.parent("async_agent")).isEmpty();
    assertThat(JsonTree.parent("\"a/b\"")).isEmpty();
    assertThat(JsonTree.parent("$")).isEmpty();
  }

  @Test
  void keepsNumbersExactAndObjectsInTheirOrder() {
    JsonTree tree = parse("{\"b\": 1, \"a\": 0.1, \"c\": 12345678901, \"d\": [true, null, \"x\"]}");

    assertThat(tree.root()).containsExactly(Map.entry("b", 1), Map.entry("a", new BigDecimal("0.1")),
        Map.entry("c", 12_345_678_901L), Map.entry("d", Arrays.asList(true, null, "x")));
  }

  @Test
  void ordersViolationsByTheirPositionAndAMissingFieldAtItsObjectsStart() {
    JsonTree tree = parse("{\"x\": 1,\n \"agents\": [{\"name\": 1, \"consumer\": {\"topic\": 2}}]}");

    List<Violation> sorted = tree.inFileOrder(List.of(
        new Violation("agents[0].consumer.topic", "third"),
        new Violation("agents[0].backend", "missing, so at the start of agents[0]"),
        new Violation("x", "first"),
        new Violation("agents[0].name", "second"),
        new Violation("$", "the document")));

    assertThat(sorted).extracting(Violation::message).containsExactly(
        "the document", "first", "missing, so at the start of agents[0]", "second", "third");
  }

  @Test
  void rejectsCommentsAndTrailingCommasAsGoDoes() {
    assertThat(JsonTree.parse(new StringReader("{\"a\": 1, // no\n}"), violations)).isEmpty();
    assertThat(JsonTree.parse(new StringReader("{\"a\": [1,]}"), violations)).isEmpty();

    assertThat(violations).extracting(Violation::path).containsExactly("$", "$");
    assertThat(violations.get(0).message()).startsWith("must be valid JSON, but Unexpected character ('/'")
        .endsWith("at line 1, column 10");
    assertThat(violations.get(1).message()).startsWith("must be valid JSON, but Unexpected character (']'")
        .endsWith("at line 1, column 10");
  }

  private JsonTree parse(String json) {
    JsonTree tree = JsonTree.parse(new StringReader(json), violations).orElseThrow();
    assertThat(violations).isEmpty();
    return tree;
  }
}
