package io.asyncagent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code agent-cli} in the test JVM, capturing what it prints, without exiting. Its {@code run} command
 * installs no shutdown hook: a test ends it with {@link #stop()}, as Ctrl-C or SIGTERM would.
 */
final class CliRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final TestStopTrigger stopTrigger = new TestStopTrigger();

  int execute(String... args) {
    CommandLine commandLine = Main.commandLine(stopTrigger);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  /** Stops the {@code run} command in progress, as a signal would; false if none is running. */
  boolean stop() {
    return stopTrigger.pull();
  }

  /** What was printed to standard output so far, line by line. */
  List<String> outLines() {
    return out.toString().lines().toList();
  }

  /** What was printed to standard error so far, line by line. */
  List<String> errLines() {
    return err.toString().lines().toList();
  }
}
