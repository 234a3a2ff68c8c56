package io.asyncagent.krakend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The configuration files under {@code src/test/resources/krakend}: {@code valid/*.json} and
 * {@code invalid/*.json}, each with a sidecar {@code .expected} file — the summary line of each agent for a
 * valid file, the exact {@code path: message} of each violation for an invalid one, in order.
 */
final class Fixtures {
  static final Path ROOT = Path.of("src", "test", "resources", "krakend");

  private Fixtures() {}

  /** Returns the JSON files of {@code folder}, by name. */
  static List<Path> files(String folder) {
    try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the lines of the sidecar file of {@code json}. */
  static List<String> expected(Path json) {
    String name = json.getFileName().toString();
    Path sidecar = json.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".expected");
    try {
      return Files.readAllLines(sidecar).stream().filter(line -> !line.isEmpty()).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("every fixture needs its .expected file: " + sidecar, e);
    }
  }

  /** Returns a fixture by its folder and name, such as {@code valid/seed-group-id.json}. */
  static Path file(String relative) {
    return ROOT.resolve(relative);
  }
}
