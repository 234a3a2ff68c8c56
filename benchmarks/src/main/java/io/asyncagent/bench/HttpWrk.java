package io.asyncagent.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's ceiling as a native load generator sees it: {@code wrk -t2 -cN -dDs -s post.lua URL}, with a Lua
 * script that POSTs the same body as the JVM clients. wrk comes from Debian's package ({@code ensure_wrk} in
 * benchmarks/run-lib.sh installs it); without it P2 skips its wrk row.
 */
final class HttpWrk {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final Path executable;
  private final Path script;

  private HttpWrk(Path executable, Path script) {
    this.executable = executable;
    this.script = script;
  }

  /**
   * What one run measured.
   *
   * @param rate requests per second, as wrk prints it
   * @param errors non-2xx answers plus socket errors
   * @param serverCpuSeconds the CPU time the server used while wrk ran, or NaN when unknown
   * @param seconds how long wrk ran, from its start to its end
   */
  record Result(double rate, long errors, double serverCpuSeconds, double seconds, String output) {}

  /** Finds wrk on the PATH and writes its script into {@code workDir}; empty when there is no wrk. */
  static Optional<HttpWrk> find(Path workDir, byte[] body) throws IOException {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "wrk");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        String text = new String(body, StandardCharsets.US_ASCII);
        if (text.contains("]]") || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
          throw new IllegalArgumentException("the body must be printable ASCII without ']]' for wrk's script");
        }
        Path script = workDir.resolve("p2-post.lua");
        Files.writeString(script, "-- P2: POST the same body as the JVM clients\n"
            + "wrk.method = \"POST\"\n"
            + "wrk.body = [[" + text + "]]\n"
            + "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n", StandardCharsets.US_ASCII);
        return Optional.of(new HttpWrk(candidate, script));
      }
    }
    return Optional.empty();
  }

  /** The command line, for the report. */
  String command(int threads, int connections, Duration duration, String url) {
    return "wrk -t" + threads + " -c" + connections + " -d" + duration.toSeconds() + "s -s post.lua " + url;
  }

  /** Runs wrk once; throws if it fails or prints no rate. */
  Result run(int threads, int connections, Duration duration, URI url, LongSupplier serverCpu)
      throws IOException, InterruptedException {
    List<String> command = List.of(executable.toString(), "-t" + threads, "-c" + connections,
        "-d" + duration.toSeconds() + "s", "-s", script.toString(), url.toString());
    long serverBefore = serverCpu.getAsLong();
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("wrk did not end");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long serverAfter = serverCpu.getAsLong();
    String text = new String(output, StandardCharsets.UTF_8);
    Matcher rate = RATE.matcher(text);
    if (process.exitValue() != 0 || !rate.find()) {
      throw new IllegalStateException("wrk exited " + process.exitValue() + " without a rate:\n" + text);
    }
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(text);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(text);
    if (socket.find()) {
      for (int group = 1; group <= 4; group++) {
        errors += Long.parseLong(socket.group(group));
      }
    }
    return new Result(Double.parseDouble(rate.group(1)), errors,
        serverBefore < 0 || serverAfter < 0 ? Double.NaN : (serverAfter - serverBefore) / 1e9, seconds, text);
  }
}
