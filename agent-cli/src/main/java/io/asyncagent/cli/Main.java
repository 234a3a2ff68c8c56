package io.asyncagent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code agent-cli} entry point: {@code java -jar agent-cli.jar <command>}.
 *
 * <p>Commands are picocli subcommands of this class. Run without a command, it prints an error and the usage to
 * standard error and exits with code 2; {@code --help} and {@code --version} print to standard output and exit
 * with code 0.
 */
@Command(
    name = "agent-cli",
    mixinStandardHelpOptions = true,
    versionProvider = Main.ManifestVersionProvider.class,
    description = "Runs async-agent from the command line.",
    subcommands = {DemoCommand.class, CheckCommand.class, RunCommand.class})
public final class Main implements Runnable {

  @Spec
  private CommandSpec spec;

  private Main() {}

  /**
   * Runs the command line and exits the JVM with its exit code.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line, without running it; tests execute it without exiting the JVM. Its {@code run}
   * stops on Ctrl-C or SIGTERM.
   */
  static CommandLine commandLine() {
    return commandLine(StopTrigger.shutdownHook());
  }

  /** The configured command line, whose {@code run} stops when {@code stopTrigger} says so. */
  static CommandLine commandLine(StopTrigger stopTrigger) {
    return new CommandLine(new Main(), new Factory(stopTrigger));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** Creates the commands: {@code run} with the stop trigger, every other one as picocli does by default. */
  private record Factory(StopTrigger stopTrigger) implements CommandLine.IFactory {

    @Override
    public <K> K create(Class<K> type) throws Exception {
      return type == RunCommand.class
          ? type.cast(new RunCommand(stopTrigger))
          : CommandLine.defaultFactory().create(type);
    }
  }

  /** The version is the jar's Implementation-Version; classes run outside the jar report "dev". */
  static final class ManifestVersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"agent-cli " + (version == null ? "dev" : version)};
    }
  }
}
