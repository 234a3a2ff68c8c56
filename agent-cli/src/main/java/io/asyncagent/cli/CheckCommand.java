package io.asyncagent.cli;

import io.asyncagent.krakend.AgentDefinition;
import io.asyncagent.krakend.KrakendConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check -c krakend.json}: what {@code krakend check} does for the {@code async_agent} entries. It reads
 * and validates the file and builds nothing — no agent, no thread, no connection.
 *
 * <p>A valid file prints one line per agent ({@link AgentDefinition#summary()}) and {@code Syntax OK! N agents}
 * to standard output, and exits 0. An invalid file prints every problem on a line of its own,
 * {@code PATH: message}, then {@code N problems in FILE}, to standard error, and exits 1; so does a file that
 * cannot be read, with {@code FILE: cannot read: reason}.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the async_agent entries of a KrakenD configuration; starts nothing.",
      "Valid: prints one line per agent, then 'Syntax OK! N agents'; exits 0.",
      "Invalid: prints each problem as 'PATH: message' to standard error; exits 1."
    })
final class CheckCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "The KrakenD configuration file, such as krakend.json.")
  private Path config;

  @Override
  public Integer call() {
    Optional<KrakendConfig> read = ConfigFile.read(config, spec.commandLine().getErr());
    if (read.isEmpty()) {
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    for (AgentDefinition agent : read.get().agents()) {
      out.println(agent.summary());
    }
    out.println("Syntax OK! " + Plural.of(read.get().agents().size(), "agent"));
    out.flush();
    return 0;
  }
}
