/**
 * The {@code agent-cli} command line, run as {@code java -jar agent-cli.jar <command>}: {@code demo}, {@code check}
 * and {@code run}. {@link io.asyncagent.cli.Main} is the entry point; the rest of the package is the application's
 * own and no API.
 */
package io.asyncagent.cli;
