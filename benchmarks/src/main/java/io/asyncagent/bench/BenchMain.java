package io.asyncagent.bench;

import io.asyncagent.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the benchmark scenarios against an embedded broker and writes the report.
 *
 * <pre>
 * java -cp ... io.asyncagent.bench.BenchMain [--scale full|smoke] [--rounds N] [--only P1,P3]
 *     [--out docs/benchmarks.md] [--command "the command to print"]
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  /** Every scenario, in report order. */
  static List<Scenario> scenarios() {
    return List.of(
        new P1Throughput(),
        new P2Http(),
        new P3SlowBackend(),
        new P4Latency(),
        new P5Memory());
  }

  /** Runs and writes the report; exits 0 unless the harness itself failed. */
  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  /** Runs and writes the report; returns 0 unless a scenario could not complete. */
  static int run(String... args) throws Exception {
    Map<String, String> options = options(args);
    BenchContext.Scale scale = BenchContext.Scale.valueOf(options.getOrDefault("scale", "full").toUpperCase(Locale.ROOT));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", scale == BenchContext.Scale.FULL ? "5" : "1"));
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks.md"));
    List<String> only = options.containsKey("only") ? Arrays.asList(options.get("only").split(",")) : List.of();
    String command = options.getOrDefault("command", "benchmarks/run.sh");
    Path work = Files.createTempDirectory("asyncagent-bench");

    Report report = new Report(Machine.current(), command, rounds);
    boolean harnessFailed = false;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      BenchContext context = new BenchContext(kafka, scale, rounds, work, System.out);
      for (Scenario scenario : scenarios()) {
        if (!only.isEmpty() && !only.contains(scenario.id())) {
          continue;
        }
        context.progress(scenario.id(), "%s", scenario.title());
        try {
          report.add(scenario.run(context));
        } catch (Exception | AssertionError e) {
          e.printStackTrace(System.err);
          report.failed(scenario, e);
          harnessFailed = true;
        }
      }
    }
    Path svg = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + ".svg");
    report.write(out, svg);
    System.out.println("wrote " + out + " and " + svg);
    for (ScenarioResult.Row row : report.rows()) {
      System.out.printf(Locale.ROOT, "%s %-40s ratio %s%s%n", row.scenario(), row.metric(), row.ratios().format("%.2f"),
          row.met() ? "" : "  (target missed)");
    }
    return harnessFailed ? 1 : 0;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String name = rest.remove(0);
      if (!name.startsWith("--") || rest.isEmpty()) {
        throw new IllegalArgumentException("expected --name value pairs, but got '" + name + "'");
      }
      options.put(name.substring(2), rest.remove(0));
    }
    return options;
  }
}
