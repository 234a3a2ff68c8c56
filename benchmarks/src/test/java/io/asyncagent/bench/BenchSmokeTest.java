package io.asyncagent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every scenario of the harness at smoke scale — tiny sizes, one round — and checks that it writes a
 * report with a row for each. It measures nothing worth reading and asserts no number: benchmarks are not
 * tests; this only keeps the harness working.
 */
class BenchSmokeTest {

  @Test
  void everyScenarioCompletesAndReportsARowAndTheChart(@TempDir Path out) throws Exception {
    Path report = out.resolve("benchmarks.md");

    int exit = BenchMain.run("--scale", "smoke", "--rounds", "1", "--out", report.toString(), "--command", "smoke");

    assertThat(exit).as("every scenario completed").isZero();
    String markdown = Files.readString(report);
    for (Scenario scenario : BenchMain.scenarios()) {
      assertThat(markdown).as(scenario.id()).contains("| " + scenario.id() + " ");
    }
    assertThat(Files.readString(out.resolve("benchmarks.svg"))).startsWith("<svg").endsWith("</svg>\n");
  }
}
