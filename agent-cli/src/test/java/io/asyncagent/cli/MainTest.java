package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class MainTest {

  private final CliRun cli = new CliRun();

  @Test
  void helpPrintsTheUsageToStandardOutputAndSucceeds() {
    int exitCode = cli.execute("--help");

    assertThat(exitCode).isEqualTo(0);
    assertThat(cli.out.toString()).startsWith("Usage: agent-cli [-hV]");
    assertThat(cli.err.toString()).isEmpty();
  }

  @Test
  void versionOutsideTheJarIsDev() {
    int exitCode = cli.execute("--version");

    assertThat(exitCode).isEqualTo(0);
    assertThat(cli.out.toString()).isEqualTo("agent-cli dev" + System.lineSeparator());
  }

  @Test
  void noCommandIsAUsageErrorWithExitCodeTwo() {
    int exitCode = cli.execute();

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.err.toString()).startsWith("Missing required subcommand" + System.lineSeparator()
        + "Usage: agent-cli [-hV]");
  }
}
