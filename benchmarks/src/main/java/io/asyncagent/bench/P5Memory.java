package io.asyncagent.bench;

import io.asyncagent.testkit.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * P5: what an agent with its default caps holds while a backlog meets a stalled backend, and whether it
 * drains when the backend recovers. The agent runs in a child JVM limited to the 128 MiB target itself,
 * so finishing at all proves the bound; the measure reported is the largest heap a collection left (the
 * live set). The baseline is a plain consumer reading the same backlog in a JVM of the same size.
 */
/** P5: heap held under a 1,000,000-record backlog with a stalled backend. */
final class P5Memory implements Scenario {
  private static final long MIB = 1024 * 1024;
  private static final long BUDGET = 128 * MIB;
  private static final Pattern RESULT = Pattern.compile("RESULT delivered=(\\d+) maxAfterGc=(\\d+) peakUsed=(\\d+)");

  @Override
  public String id() {
    return "P5";
  }

  @Override
  public String title() {
    return "heap under a backlog with a stalled backend";
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    int records = context.scale().pick(1_000_000, 20_000);
    int stall = context.scale().pick(20, 2);
    String topic = EmbeddedKafka.uniqueTopic("p5");
    context.kafka().createTopic(topic, 6);
    context.progress(id(), "producing a backlog of %,d records of 100 bytes", records);
    Load.produce(context.kafka(), topic, records, 100, i -> "key-" + i % 1000);
    List<Double> ours = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    StringBuilder table = new StringBuilder(
        "| round | agent live heap | agent pool peak | raw consumer live heap | raw pool peak |\n|---|---|---|---|---|\n");
    for (int round = 1; round <= context.rounds(); round++) {
      long[] agent = child(context, "agent", topic, records, stall);
      long[] plain = child(context, "raw", topic, records, 0);
      ours.add(agent[1] / (double) MIB);
      raw.add(plain[1] / (double) MIB);
      ratios.add(agent[1] / (double) BUDGET);
      table.append(String.format("| %d | %.1f MiB | %.1f MiB | %.1f MiB | %.1f MiB |%n", round, agent[1] / (double) MIB,
          agent[2] / (double) MIB, plain[1] / (double) MIB, plain[2] / (double) MIB));
      context.progress(id(), "round %d: agent delivered %,d, live heap %.1f MiB (pool peak %.1f); raw %.1f MiB", round,
          agent[0], agent[1] / (double) MIB, agent[2] / (double) MIB, plain[1] / (double) MIB);
    }
    ScenarioResult result = new ScenarioResult();
    result.row(new ScenarioResult.Row(id(), "memory", "live heap MiB vs the 128 MiB target", "target", Stats.of(ours),
        Stats.of(Collections.nCopies(ours.size(), 128.0)), Stats.of(ratios), 1.0, false));
    result.row(new ScenarioResult.Row(id(), "memory", "live heap MiB vs raw consumer", "raw consumer",
        Stats.of(ours), Stats.of(raw), Stats.of(divide(ours, raw)), Double.NaN, false));
    result.details("## P5 — memory under a backlog\n\n" + String.format("%,d records of 100 bytes on 6 partitions wait "
        + "for an agent with its default caps (1 worker, buffer 256, 32 MiB of bytes) whose backend stalls for %d s "
        + "and then answers at once; every record must then be delivered. The agent runs in a child JVM with "
        + "`-Xmx128m -XX:+UseG1GC`: finishing at all shows the 128 MiB bound holds. \"Live heap\" is the largest heap "
        + "a collection left; \"pool peak\" the heap pools' peak, garbage included. The baseline reads the same "
        + "backlog with a plain consumer in the same JVM size.%n%n", records, stall) + table);
    return result;
  }

  private static List<Double> divide(List<Double> a, List<Double> b) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      ratios.add(a.get(i) / b.get(i));
    }
    return ratios;
  }

  /** Runs P5Child; returns delivered, max heap after GC and pool peak. */
  private static long[] child(BenchContext context, String mode, String topic, int records, int stall)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseG1GC", "-cp",
        System.getProperty("java.class.path"), P5Child.class.getName(), mode, context.kafka().bootstrapServers(), topic,
        Integer.toString(records)));
    if (mode.equals("agent")) {
      command.add(Integer.toString(stall));
    }
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String result = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("RESULT")) {
          result = line;
        }
      }
    }
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    Matcher matcher = result == null ? null : RESULT.matcher(result);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalStateException("the " + mode + " child printed no result (exit " + process.exitValue() + ")");
    }
    long delivered = Long.parseLong(matcher.group(1));
    if (delivered < records) {
      throw new IllegalStateException("the " + mode + " child delivered " + delivered + " of " + records);
    }
    return new long[] {delivered, Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))};
  }
}
