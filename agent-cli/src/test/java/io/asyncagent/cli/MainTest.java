package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

final class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void helpPrintsTheUsageToStandardOutputAndSucceeds() {
    int exitCode = execute("--help");

    assertThat(exitCode).isEqualTo(0);
    assertThat(out.toString()).startsWith("Usage: agent-cli [-hV]");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void versionOutsideTheJarIsDev() {
    int exitCode = execute("--version");

    assertThat(exitCode).isEqualTo(0);
    assertThat(out.toString()).isEqualTo("agent-cli dev" + System.lineSeparator());
  }

  @Test
  void noCommandIsAUsageErrorWithExitCodeTwo() {
    int exitCode = execute();

    assertThat(exitCode).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("Missing required subcommand" + System.lineSeparator()
        + "Usage: agent-cli [-hV]");
  }
}
