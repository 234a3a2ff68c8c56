package io.asyncagent.bench;

/**
 * One benchmark: it measures the agent and its baseline — a physical limit or a peer — in the same run,
 * alternating between them, for {@link BenchContext#rounds()} rounds.
 */
interface Scenario {

  /** Returns the short id, such as {@code P1}. */
  String id();

  /** Returns a one-line title. */
  String title();

  /** Runs the scenario. */
  ScenarioResult run(BenchContext context) throws Exception;
}
