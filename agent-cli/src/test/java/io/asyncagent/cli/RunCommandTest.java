package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} does before it starts anything: options and the file. Runs with agents are in RunCommandIT. */
final class RunCommandTest {
  private final CliRun cli = new CliRun();

  @TempDir
  Path directory;

  @Test
  void withoutAConfigFileItIsAUsageErrorWithExitCodeTwo() {
    int exitCode = cli.execute("run");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.errLines().get(0)).isEqualTo("Missing required option: '--config=FILE'");
  }

  @Test
  void aDurationNotInGoNotationIsAUsageError() {
    int exitCode = cli.execute("run", "-c", "krakend.json", "--drain-timeout", "30");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.errLines().get(0)).isEqualTo(
        "Invalid value for option '--drain-timeout': not a Go duration such as \"250ms\" or \"1m30s\": \"30\"");
  }

  @Test
  void aNegativeDrainTimeoutIsAUsageError() {
    int exitCode = cli.execute("run", "-c", "krakend.json", "--drain-timeout", "-1s");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.errLines().get(0)).isEqualTo("--drain-timeout must be >= 0, but was -1s");
  }

  @Test
  void aProgressIntervalOfZeroIsAUsageError() {
    int exitCode = cli.execute("run", "-c", "krakend.json", "--progress-interval", "0");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.errLines().get(0)).isEqualTo("--progress-interval must be > 0, but was 0s");
  }

  @Test
  void aPortOutsideTheRangeOfPortsIsAUsageError() {
    int exitCode = cli.execute("run", "-c", "krakend.json", "--port", "65536");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.errLines().get(0)).isEqualTo("--port must be in 0..65535, but was 65536");
  }

  @Test
  void aBindAddressWithoutAPortIsAUsageError() {
    int exitCode = cli.execute("run", "-c", "krakend.json", "--bind", "127.0.0.1");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.errLines().get(0)).isEqualTo("--bind needs --port: without a port nothing is served");
  }

  @Test
  void aPortInUseExitsOneBeforeAnyAgentIsBuilt() throws Exception {
    // The agent names a broker that does not exist; the run must stop before it would try to reach it.
    Path config = KrakendJson.agent("orders", "orders", "127.0.0.1:1", "group", "http://127.0.0.1:1")
        .writeTo(directory);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int exitCode = cli.execute("run", "-c", config.toString(), "--port", Integer.toString(port), "--bind",
          "127.0.0.1");

      assertThat(exitCode).isEqualTo(1);
      assertThat(cli.out.toString()).isEmpty();
      assertThat(cli.errLines()).containsExactly(
          "--port " + port + ": cannot listen on 127.0.0.1:" + port + ": Address already in use");
    }
  }

  @Test
  void anInvalidFileIsReportedAsCheckReportsItAndStartsNothing() {
    Path invalid = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent()
        .resolve("agent-krakend/src/test/resources/krakend/invalid/kafka-group-problems.json");
    CliRun check = new CliRun();
    int checkExitCode = check.execute("check", "-c", invalid.toString());

    int exitCode = cli.execute("run", "-c", invalid.toString());

    assertThat(exitCode).isEqualTo(1).isEqualTo(checkExitCode);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.errLines()).hasSizeGreaterThan(1).containsExactlyElementsOf(check.errLines());
  }

  @Test
  void aMissingFileExitsOneSayingItCannotBeRead() {
    Path missing = directory.resolve("missing.json");

    int exitCode = cli.execute("run", "-c", missing.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.errLines()).containsExactly(missing + ": cannot read: no such file");
  }
}
