package io.asyncagent.cli;

/** Counts for people: {@code 1 agent}, {@code 2 agents}. */
final class Plural {

  private Plural() {}

  /** Returns {@code count} and {@code noun}, with an {@code s} unless the count is one. */
  static String of(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
