package io.asyncagent.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check} prints what agent-krakend reads: its fixture files, each beside a {@code .expected} file with the
 * summary of each agent (valid files) or the exact {@code PATH: message} of each problem (invalid files).
 */
final class CheckCommandTest {
  /** agent-krakend's fixtures, from this module's folder (Maven's {@code basedir}, or else the working folder). */
  private static final Path FIXTURES = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent()
      .resolve("agent-krakend/src/test/resources/krakend");

  private final CliRun cli = new CliRun();

  @TempDir
  Path directory;

  static List<Path> validFiles() {
    return fixtures("valid");
  }

  static List<Path> invalidFiles() {
    return fixtures("invalid");
  }

  @Test
  void theFixturesOfAgentKrakendAreFound() {
    assertThat(validFiles()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(invalidFiles()).hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void aValidFilePrintsEachAgentsSummaryThenSyntaxOkAndExitsZero(Path file) {
    List<String> summaries = expected(file);

    int exitCode = cli.execute("check", "-c", file.toString());

    assertThat(exitCode).as("exit code; errors:%n%s", cli.err).isZero();
    List<String> lines = new ArrayList<>(summaries);
    lines.add("Syntax OK! " + summaries.size() + (summaries.size() == 1 ? " agent" : " agents"));
    assertThat(cli.outLines()).containsExactlyElementsOf(lines);
    assertThat(cli.err.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void anInvalidFilePrintsEveryProblemOnALineOfItsOwnAndExitsOne(Path file) {
    List<String> problems = expected(file);

    int exitCode = cli.execute("check", "-c", file.toString());

    assertThat(exitCode).isEqualTo(1);
    List<String> lines = new ArrayList<>(problems);
    lines.add(problems.size() + (problems.size() == 1 ? " problem in " : " problems in ") + file);
    assertThat(cli.errLines()).containsExactlyElementsOf(lines);
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void aValidFileWithSeveralAgentsCountsThemAll() {
    Path file = FIXTURES.resolve("valid/several-agents.json");

    int exitCode = cli.execute("check", "--config", file.toString());

    assertThat(exitCode).isZero();
    assertThat(cli.outLines()).hasSize(4).last().isEqualTo("Syntax OK! 3 agents");
  }

  @Test
  void aDriverThatIsNotOnTheClassPathIsAProblemThatListsTheDriversThatAre() throws IOException {
    Path file = Files.writeString(directory.resolve("krakend.json"), """
        {
          "async_agent": [
            {
              "name": "rabbit",
              "consumer": {"topic": "events"},
              "backend": [{"host": ["http://sink:8080"], "url_pattern": "/events"}],
              "extra_config": {"async/amqp": {"host": "amqp://guest:guest@localhost:5672"}}
            }
          ]
        }
        """);

    int exitCode = cli.execute("check", "-c", file.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(cli.errLines()).containsExactly(
        "async_agent[0].extra_config.\"async/amqp\": is not supported: this library has no AMQP driver;"
            + " its drivers are async/kafka",
        "1 problem in " + file);
  }

  @Test
  void checkStartsNoAgentAndNoThread() {
    // The agents of this file name brokers that do not exist; checking it must not try to reach them.
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

    int exitCode = cli.execute("check", "-c", FIXTURES.resolve("valid/several-agents.json").toString());

    assertThat(exitCode).isZero();
    assertThat(Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread) && thread.isAlive())
        .map(Thread::getName))
        .isEmpty();
  }

  @Test
  void aMissingFileExitsOneSayingItCannotBeRead() {
    Path missing = directory.resolve("krakend.json");

    int exitCode = cli.execute("check", "-c", missing.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(cli.errLines()).containsExactly(missing + ": cannot read: no such file");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void aFolderExitsOneSayingItCannotBeRead() {
    int exitCode = cli.execute("check", "-c", directory.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(cli.errLines()).containsExactly(directory + ": cannot read: Is a directory");
  }

  @Test
  void withoutAConfigFileItIsAUsageErrorWithExitCodeTwo() {
    int exitCode = cli.execute("check");

    assertThat(exitCode).isEqualTo(2);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.errLines().get(0)).isEqualTo("Missing required option: '--config=FILE'");
  }

  /**
   * The JSON files of a fixture folder, but not those whose file or expectations name agent-krakend's test-only
   * driver or sink ({@code test/fake}, {@code test/counting}): those are found only on agent-krakend's test class
   * path, so here a file that uses one is invalid, and a message that lists the drivers names one fewer.
   */
  private static List<Path> fixtures(String folder) {
    try (Stream<Path> files = Files.list(FIXTURES.resolve(folder))) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json"))
          .filter(file -> !read(file).contains("test/") && !String.join("\n", expected(file)).contains("test/"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> expected(Path json) {
    String name = json.getFileName().toString();
    Path sidecar = json.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".expected");
    return read(sidecar).lines().filter(line -> !line.isEmpty()).collect(Collectors.toList());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
