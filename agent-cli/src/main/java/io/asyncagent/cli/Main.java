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
    subcommands = {DemoCommand.class})
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

  /** The configured command line, without running it; tests execute it without exiting the JVM. */
  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
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
