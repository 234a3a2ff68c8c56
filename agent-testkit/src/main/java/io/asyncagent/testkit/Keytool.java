package io.asyncagent.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JDK's {@code keytool}, which is no {@link java.util.spi.ToolProvider} on Java 17 and so runs as a
 * process. Each run takes about a second (a JVM start and, for new keys, key generation), so {@link
 * TestCertificates} starts independent runs together and waits for them afterwards.
 */
final class Keytool {
  static final String STORE_PASSWORD = "changeit";
  private static final long TIMEOUT_SECONDS = 120;

  private final Path directory;
  private final Path executable = Path.of(System.getProperty("java.home"), "bin", "keytool");

  Keytool(Path directory) {
    this.directory = directory;
  }

  /** A keytool run that has been started. */
  final class Run {
    private final List<String> command;
    private final Process process;

    private Run(List<String> command, Process process) {
      this.command = command;
      this.process = process;
    }

    /** Waits for the run to end; throws with keytool's output if it failed. */
    void await() {
      try {
        String output;
        try (InputStream in = process.getInputStream()) {
          output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("keytool did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException("keytool failed with exit code " + process.exitValue() + ": " + command
              + "\n" + output);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the output of keytool " + command, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while waiting for keytool " + command, e);
      }
    }
  }

  /** Starts keytool with {@code arguments} in the directory, in UTC and with the store password set. */
  Run start(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.add("-J-Duser.timezone=UTC");
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storepass", STORE_PASSWORD, "-noprompt"));
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
      return new Run(command, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + executable, e);
    }
  }

  /** Starts generating an EC P-256 key pair with a self-signed certificate in {@code store}, a PKCS #12 file. */
  Run generateKeyPair(String store, String distinguishedName, String... extensions) {
    List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", distinguishedName, "-validity", "3650", "-storetype", "PKCS12", "-keystore", store));
    for (String extension : extensions) {
      arguments.add("-ext");
      arguments.add(extension);
    }
    return start(arguments.toArray(new String[0]));
  }
}
