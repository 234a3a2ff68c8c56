package io.asyncagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation honest: every Java block in README.md and docs/ must be marked with
 * {@code <!-- snippet: File#tag -->} and equal, line for line, the region between {@code // tag::tag[]} and
 * {@code // end::tag[]} of that example — which the build compiles and the tests run. An example is a program
 * under src/main/java or, for a test users copy, a test under src/test/java.
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<Path> EXAMPLES =
      List.of(Path.of("src/main/java/io/asyncagent/examples"), Path.of("src/test/java/io/asyncagent/examples"));
  private static final Pattern BLOCK = Pattern.compile(
      "(?:<!-- snippet: (\\w+)#([\\w-]+) -->\\n)?```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaBlockInTheDocsIsATaggedRegionOfACompiledExample() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path doc : documents()) {
      Matcher block = BLOCK.matcher(Files.readString(doc));
      while (block.find()) {
        String where = ROOT.relativize(doc) + " block " + (checked + 1);
        if (block.group(1) == null) {
          problems.add(where + ": a java block without a <!-- snippet: File#tag --> marker");
        } else {
          String region = region(block.group(1), block.group(2));
          if (region == null) {
            problems.add(where + ": no region " + block.group(2) + " in " + block.group(1) + ".java");
          } else if (!region.equals(block.group(3))) {
            problems.add(where + ": differs from " + block.group(1) + "#" + block.group(2) + ":\n" + region);
          }
        }
        checked++;
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("java blocks checked").isGreaterThanOrEqualTo(3);
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  /** The tagged region, its common indentation removed; null when there is none. */
  private static String region(String file, String tag) throws IOException {
    Path source = EXAMPLES.stream().map(dir -> dir.resolve(file + ".java")).filter(Files::exists).findFirst()
        .orElse(null);
    if (source == null) {
      return null;
    }
    List<String> lines = Files.readAllLines(source);
    int start = lines.indexOf(indentOf(lines, "// tag::" + tag + "[]"));
    int end = lines.indexOf(indentOf(lines, "// end::" + tag + "[]"));
    if (start < 0 || end < start) {
      return null;
    }
    List<String> body = lines.subList(start + 1, end);
    int indent = body.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : body) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }

  private static String indentOf(List<String> lines, String marker) {
    return lines.stream().filter(line -> line.strip().equals(marker)).findFirst().orElse("\0");
  }
}
