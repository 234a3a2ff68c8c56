package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void deliversEveryEventAndEndsWithTheSummaryLine() {
    int exitCode = execute("demo", "--events", "400", "--partitions", "3", "--keys", "20", "--workers", "8");

    List<String> lines = out.toString().lines().toList();
    assertThat(exitCode).as("output:%n%s%nerrors:%n%s", out, err).isZero();
    assertThat(lines.get(0)).isEqualTo("Starting an embedded Kafka broker...");
    assertThat(lines).contains("Committed offsets: 400 of 400; duplicate deliveries: 0");
    assertThat(lines.get(lines.size() - 1)).matches("delivered 400/400 events in \\d+\\.\\d s");
  }

  @Test
  void rejectsAnEventCountBelowOneBeforeStartingAnything() {
    int exitCode = execute("demo", "--events", "0");

    assertThat(exitCode).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("--events must be >= 1, but was 0" + System.lineSeparator());
  }
}
