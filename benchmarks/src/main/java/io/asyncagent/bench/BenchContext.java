package io.asyncagent.bench;

import io.asyncagent.testkit.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Path;

/** What every scenario gets: the broker, the scale, the number of rounds, a place for files and for progress. */
record BenchContext(EmbeddedKafka kafka, Scale scale, int rounds, Path workDir, PrintStream log) {

  /** How big a run is: {@code FULL} for the published numbers, {@code SMOKE} to check that the harness works. */
  enum Scale {
    FULL,
    SMOKE;

    /** Returns {@code full} at full scale and {@code smoke} otherwise. */
    int pick(int full, int smoke) {
      return this == FULL ? full : smoke;
    }
  }

  /** Prints a progress line, prefixed with the scenario. */
  void progress(String scenario, String format, Object... args) {
    log.printf("[%s] %s%n", scenario, String.format(format, args));
    log.flush();
  }
}
