package io.asyncagent.cli;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.krakend.KrakendConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the {@code krakend.json} of {@code check} and {@code run}, and tells the user why it cannot be used: one
 * line per problem, {@code PATH: message}, then {@code N problem(s) in FILE}; or {@code FILE: cannot read: reason}.
 * Both commands print those lines to standard error and exit 1.
 */
final class ConfigFile {

  private ConfigFile() {}

  /**
   * Returns the configuration in {@code file}, or empty after printing to {@code err} why there is none.
   * Reading builds nothing: no agent, thread or connection.
   */
  static Optional<KrakendConfig> read(Path file, PrintWriter err) {
    try {
      return Optional.of(KrakendConfig.read(file));
    } catch (InvalidConfigException e) {
      for (Violation violation : e.violations()) {
        err.println(violation);
      }
      err.println(Plural.of(e.violations().size(), "problem") + " in " + file);
    } catch (UncheckedIOException e) {
      err.println(file + ": cannot read: " + reason(e.getCause()));
    }
    err.flush();
    return Optional.empty();
  }

  /** The JDK names the file and nothing else in these two messages; the line names the file already. */
  private static String reason(IOException cause) {
    if (cause instanceof NoSuchFileException) {
      return "no such file";
    }
    if (cause instanceof AccessDeniedException) {
      return "permission denied";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
