package io.asyncagent.bench;

import java.util.ArrayList;
import java.util.List;

/** What a scenario measured: summary rows for the table and the chart, and markdown details. */
final class ScenarioResult {

  /**
   * One measured comparison.
   *
   * @param metric what is compared, such as {@code events/s}
   * @param ours the agent's samples, one per round
   * @param baseline the baseline's samples, one per round (or a single bound)
   * @param ratios ours ÷ baseline per round (for a latency, baseline ÷ ours is not used: see higherIsBetter)
   * @param target the target ratio, or NaN for none
   * @param higherIsBetter whether a ratio above the target meets it (false: below)
   */
  record Row(String scenario, String title, String metric, String baselineName, Stats ours, Stats baseline,
      Stats ratios, double target, boolean higherIsBetter) {

    boolean met() {
      return Double.isNaN(target) || (higherIsBetter ? ratios.median() >= target : ratios.median() <= target);
    }
  }

  final List<Row> rows = new ArrayList<>();
  final StringBuilder details = new StringBuilder();

  ScenarioResult row(Row row) {
    rows.add(row);
    return this;
  }

  ScenarioResult details(String markdown) {
    details.append(markdown).append('\n');
    return this;
  }
}
