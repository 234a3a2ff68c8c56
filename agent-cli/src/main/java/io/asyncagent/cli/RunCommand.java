package io.asyncagent.cli;

import static java.util.Objects.requireNonNull;

import io.asyncagent.GoDuration;
import io.asyncagent.krakend.KrakendConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code run -c krakend.json}: the agents of a KrakenD configuration as a process of their own, until Ctrl-C or
 * SIGTERM.
 *
 * <p>An invalid or unreadable file is reported as {@code check} reports it, and the command exits 1 without
 * starting anything. Otherwise it starts every agent, prints each agent's state changes as they happen, its
 * progress every {@code --progress-interval}, and the group's health document whenever an agent's state or health
 * changes. On Ctrl-C or SIGTERM it closes the agents, each waiting up to {@code --drain-timeout} for its events in
 * flight, prints a summary and exits 0 — or 1 if an agent ended FAILED. When every agent has failed on its own it
 * does the same without waiting for a signal. The work itself is {@link AgentRun}'s.
 *
 * <p>With {@code --port}, it also serves {@code GET /__health} and {@code GET /metrics} over HTTP while the agents
 * run and drain ({@link RunServer}); a port that cannot be listened on is reported before anything starts, and the
 * command exits 1.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the async_agent entries of a KrakenD configuration until Ctrl-C or",
      "SIGTERM, then drains them and prints a summary.",
      "With --port, serves GET /__health (200 when every agent is healthy, else",
      "503) and GET /metrics (Prometheus) until the agents have drained.",
      "Exits 0 when every agent stopped cleanly, 1 when the file is invalid, the",
      "port cannot be listened on or an agent failed."
    })
final class RunCommand implements Callable<Integer> {
  private final StopTrigger stopTrigger;

  @Spec
  private CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "The KrakenD configuration file, such as krakend.json.")
  private Path config;

  @Option(names = "--drain-timeout", defaultValue = "30s", paramLabel = "DURATION", converter = GoDurations.class,
      description = "How long stopping waits for each agent's events in flight, such as 500ms or 1m30s"
          + " (default: ${DEFAULT-VALUE}).")
  private Duration drainTimeout;

  @Option(names = "--progress-interval", defaultValue = "5s", paramLabel = "DURATION", converter = GoDurations.class,
      description = "How often each agent's progress is printed (default: ${DEFAULT-VALUE}).")
  private Duration progressInterval;

  @Option(names = "--port", paramLabel = "PORT",
      description = "Serves GET /__health and GET /metrics (Prometheus) on this port; 0 picks a free one."
          + " Without it, nothing is served.")
  private Integer port;

  @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
      description = "The address --port listens on (default: ${DEFAULT-VALUE}, every interface).")
  private InetAddress bind;

  /** Creates the command; {@code stopTrigger} is what ends a run (in the jar, Ctrl-C or SIGTERM). */
  RunCommand(StopTrigger stopTrigger) {
    this.stopTrigger = requireNonNull(stopTrigger, "stopTrigger");
  }

  @Override
  public Integer call() {
    if (drainTimeout.isNegative()) {
      throw new ParameterException(spec.commandLine(),
          "--drain-timeout must be >= 0, but was " + GoDuration.format(drainTimeout));
    }
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new ParameterException(spec.commandLine(),
          "--progress-interval must be > 0, but was " + GoDuration.format(progressInterval));
    }
    if (port == null && spec.commandLine().getParseResult().hasMatchedOption("--bind")) {
      throw new ParameterException(spec.commandLine(), "--bind needs --port: without a port nothing is served");
    }
    if (port != null && (port < 0 || port > 65_535)) {
      throw new ParameterException(spec.commandLine(), "--port must be in 0..65535, but was " + port);
    }
    Optional<KrakendConfig> read = ConfigFile.read(config, spec.commandLine().getErr());
    if (read.isEmpty()) {
      return 1;
    }
    if (read.get().agents().isEmpty()) {
      spec.commandLine().getErr().println(config + ": has no async_agent entries to run");
      spec.commandLine().getErr().flush();
      return 1;
    }
    Optional<RunServer> server;
    try {
      server = port == null ? Optional.empty() : Optional.of(RunServer.bind(new InetSocketAddress(bind, port)));
    } catch (IOException e) {
      spec.commandLine().getErr().println("--port " + port + ": cannot listen on " + bind.getHostAddress() + ":"
          + port + ": " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
    try {
      AgentRun run = new AgentRun(config.toString(), read.get().agents(), drainTimeout, progressInterval, server,
          spec.commandLine().getOut());
      StopTrigger.Armed armed = stopTrigger.arm(run);
      try {
        return run.run();
      } finally {
        armed.close();
      }
    } finally {
      server.ifPresent(RunServer::close); // the run closes it once drained; this is for a run that never ran
    }
  }

  /** Reads a duration in Go's notation, as krakend.json writes them: {@code 500ms}, {@code 30s}, {@code 1m30s}. */
  static final class GoDurations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
      try {
        return GoDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
