package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCommandIT {
  private final CliRun cli = new CliRun();

  @Test
  void deliversEveryEventAndEndsWithTheSummaryLine() {
    int exitCode = cli.execute("demo", "--events", "400", "--partitions", "3", "--keys", "20", "--workers", "8");

    List<String> lines = cli.out.toString().lines().toList();
    assertThat(exitCode).as("output:%n%s%nerrors:%n%s", cli.out, cli.err).isZero();
    assertThat(lines.get(0)).isEqualTo("Starting an embedded Kafka broker...");
    assertThat(lines).contains("Committed offsets: 400 of 400; duplicate deliveries: 0");
    assertThat(lines.get(lines.size() - 1)).matches("delivered 400/400 events in \\d+\\.\\d s");
  }

  @Test
  void rejectsAnEventCountBelowOneBeforeStartingAnything() {
    int exitCode = cli.execute("demo", "--events", "0");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.err.toString()).startsWith("--events must be >= 1, but was 0" + System.lineSeparator());
  }
}
