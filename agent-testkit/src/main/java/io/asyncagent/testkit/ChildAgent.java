package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A program, typically one running an agent, in a JVM of its own that a test can kill with SIGKILL and start again:
 * the way to test what survives a crash, and to run several members of a consumer group in several processes.
 *
 * <p>The child runs a main class of the test's own class path ({@code java.class.path}, unless set otherwise) with
 * the same {@code java} executable. It talks to the test through a line protocol on its standard streams:
 *
 * <ul>
 *   <li>it prints {@value #RUNNING} on stdout once it is ready ({@link #announceRunning()}), which {@link
 *       #awaitRunning(Duration)} waits for;
 *   <li>it may print any other lines, such as its progress; the test reads them with {@link #lines()}, {@link
 *       #lastLineStartingWith(String)} and {@link #awaitLine(Predicate, Duration, String)};
 *   <li>it stops cleanly when stdin reads a line {@value #STOP} or ends ({@link #awaitStopRequest()}), which {@link
 *       #stop(Duration)} sends.
 * </ul>
 *
 * <p>Its stderr (where slf4j-simple logs) goes to a file, {@link #stderrLog()}, one per start; failures of the waits
 * here quote its last 40 lines. A child is killed with {@link #kill()}: SIGKILL, so no shutdown hook, no close, no
 * last commit. {@link #restart()} runs the same command again. {@link #close()} kills whatever is still running, so a
 * failed test leaves no process behind.
 *
 * <pre>{@code
 * // the child:
 * public static void main(String[] args) {
 *   try (AsyncAgent agent = ...) {
 *     agent.start();
 *     ChildAgent.announceRunning();
 *     ChildAgent.awaitStopRequest();
 *   }
 * }
 * // the test:
 * try (ChildAgent child = ChildAgent.builder("first", AgentMain.class.getName()).args(bootstrap, topic).start()) {
 *   child.awaitRunning(Duration.ofSeconds(60));
 *   ...
 *   child.kill();
 *   child.restart();
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe.
 */
public final class ChildAgent implements AutoCloseable {
  /** The line a child prints on stdout once it is ready. */
  public static final String RUNNING = "RUNNING";
  /** The line that, read on a child's stdin, asks it to stop cleanly. */
  public static final String STOP = "STOP";

  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  private static final int STDERR_TAIL_LINES = 40;

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logDirectory;
  private Incarnation current; // guarded by this
  private int starts; // guarded by this
  private boolean closed; // guarded by this

  private ChildAgent(Builder builder) {
    this.name = builder.name;
    this.logDirectory = builder.logDirectory.toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(builder.jvmOptions);
    command.add("-cp");
    command.add(builder.classPath);
    command.add(builder.mainClass);
    command.addAll(builder.args);
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(builder.environment);
  }

  /**
   * Returns a builder for a child named {@code name} that runs {@code mainClass}.
   *
   * @param name names the child in messages, thread names and log files: 1 to 200 of {@code a-z A-Z 0-9 . _ -}
   * @param mainClass the fully qualified name of a class with a {@code main} method, on the class path
   * @return a new builder: no arguments, no JVM options, the test's class path, logs under {@code target/child-agents}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is empty, too long or has other characters, or {@code mainClass}
   *     is blank
   */
  public static Builder builder(String name, String mainClass) {
    return new Builder(name, mainClass);
  }

  /**
   * Prints {@value #RUNNING} on stdout and flushes it; for the child's main method, once it is ready.
   */
  public static void announceRunning() {
    System.out.println(RUNNING);
    System.out.flush();
  }

  /**
   * Blocks until stdin reads a line {@value #STOP} or ends; for the child's main method, which then closes what it
   * runs and returns.
   *
   * @throws UncheckedIOException if stdin cannot be read
   */
  public static void awaitStopRequest() {
    try {
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, UTF_8));
      for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
        if (line.strip().equals(STOP)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read stdin", e);
    }
  }

  /**
   * Returns the child's name.
   *
   * @return the name given to {@link #builder(String, String)}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the process id of the latest start.
   *
   * @return the pid
   */
  public synchronized long pid() {
    return current.process.pid();
  }

  /**
   * Tells whether the latest start is still running.
   *
   * @return whether its process is alive
   */
  public synchronized boolean isAlive() {
    return current.process.isAlive();
  }

  /**
   * Returns how many times the child was started: 1 after {@link Builder#start()}, one more per {@link #restart()}.
   *
   * @return the number of starts
   */
  public synchronized int starts() {
    return starts;
  }

  /**
   * Returns the file the latest start's stderr goes to.
   *
   * @return such as {@code target/child-agents/first-2.stderr.log}, absolute
   */
  public synchronized Path stderrLog() {
    return current.stderr;
  }

  /**
   * Returns the lines the latest start printed on stdout so far.
   *
   * @return an unmodifiable snapshot, in order
   */
  public List<String> lines() {
    return List.copyOf(incarnation().lines);
  }

  /**
   * Returns the last line the latest start printed that starts with {@code prefix}.
   *
   * @param prefix such as {@code "PROGRESS "}
   * @return the line, or empty if there is none
   * @throws NullPointerException if {@code prefix} is null
   */
  public Optional<String> lastLineStartingWith(String prefix) {
    requireNonNull(prefix, "prefix");
    List<String> lines = lines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return Optional.of(lines.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * Waits until the latest start has printed {@value #RUNNING}.
   *
   * @param timeout how long to wait at most
   * @throws AssertionError if it exits first or does not print it in time; the message has the end of its stderr
   * @throws NullPointerException if {@code timeout} is null
   */
  public void awaitRunning(Duration timeout) {
    awaitLine(RUNNING::equals, timeout, RUNNING);
  }

  /**
   * Waits until the latest start has printed a line that {@code condition} accepts.
   *
   * @param condition tests each line
   * @param timeout how long to wait at most
   * @param description what is awaited, for the failure message
   * @return the first line accepted
   * @throws AssertionError if the child exits first or prints no such line in time; the message has the end of its
   *     stderr
   * @throws NullPointerException if an argument is null
   */
  public String awaitLine(Predicate<String> condition, Duration timeout, String description) {
    requireNonNull(condition, "condition");
    requireNonNull(timeout, "timeout");
    requireNonNull(description, "description");
    Incarnation incarnation = incarnation();
    long deadline = System.nanoTime() + Await.saturatedNanos(timeout);
    int checked = 0;
    while (true) {
      List<String> lines = incarnation.lines;
      for (; checked < lines.size(); checked++) {
        if (condition.test(lines.get(checked))) {
          return lines.get(checked);
        }
      }
      if (incarnation.stdoutEnded && checked == lines.size()) {
        throw failure(incarnation, "exited (" + exitDescription(incarnation) + ") before printing " + description);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw failure(incarnation, "did not print " + description + " within " + timeout);
      }
      if (!incarnation.awaitOutput(checked, remaining)) {
        throw failure(incarnation, "was being waited for when the test thread was interrupted");
      }
    }
  }

  /**
   * Kills the latest start with SIGKILL ({@link Process#destroyForcibly()}) and waits until it is gone.
   *
   * @throws AssertionError if it is still alive 60 s later
   */
  public void kill() {
    Incarnation incarnation = incarnation();
    incarnation.process.destroyForcibly();
    awaitExit(incarnation, "SIGKILL");
  }

  /**
   * Asks the latest start to stop by sending {@value #STOP} on its stdin, and waits until it exits with status 0.
   *
   * @param timeout how long to wait at most
   * @throws AssertionError if it does not exit in time, or exits with another status
   * @throws NullPointerException if {@code timeout} is null
   */
  public void stop(Duration timeout) {
    requireNonNull(timeout, "timeout");
    Incarnation incarnation = incarnation();
    try {
      Writer stdin = new OutputStreamWriter(incarnation.process.getOutputStream(), UTF_8);
      stdin.write(STOP + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw failure(incarnation, "could not be sent " + STOP + ": " + e);
    }
    try {
      if (!incarnation.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure(incarnation, "did not exit within " + timeout + " of " + STOP);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(incarnation, "was being waited for when the test thread was interrupted");
    }
    if (incarnation.process.exitValue() != 0) {
      throw failure(incarnation, "exited with " + incarnation.process.exitValue() + " after " + STOP);
    }
  }

  /**
   * Starts the same command again, once the latest start has exited (after {@link #kill()} or {@link
   * #stop(Duration)}). Lines, stderr and {@link #pid()} are then those of the new start.
   *
   * @throws IllegalStateException if the latest start is still running, or the child was closed
   * @throws UncheckedIOException if the process cannot be started
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("child '" + name + "' is closed");
    }
    if (current.process.isAlive()) {
      throw new IllegalStateException("child '" + name + "' (pid " + current.process.pid() + ") is still running");
    }
    launch();
  }

  /** Kills the latest start if it is still running, and waits until it is gone. Idempotent. */
  @Override
  public void close() {
    Incarnation incarnation;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      incarnation = current;
    }
    if (incarnation.process.isAlive()) {
      incarnation.process.destroyForcibly();
      try {
        incarnation.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Returns {@code ChildAgent[first, pid 1234, start 2, alive]}. */
  @Override
  public synchronized String toString() {
    return "ChildAgent[" + name + ", pid " + current.process.pid() + ", start " + starts + ", "
        + (current.process.isAlive() ? "alive" : "exited") + "]";
  }

  private synchronized Incarnation incarnation() {
    return current;
  }

  private synchronized void launch() {
    starts++;
    Path stderr = logDirectory.resolve(name + "-" + starts + ".stderr.log");
    Process process;
    try {
      Files.createDirectories(logDirectory);
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start child '" + name + "': " + command.get(0), e);
    }
    Incarnation incarnation = new Incarnation(process, stderr);
    Thread reader = new Thread(() -> incarnation.readStdout(), "child-agent-" + name + "-" + starts + "-stdout");
    reader.setDaemon(true);
    reader.start();
    current = incarnation;
  }

  private void awaitExit(Incarnation incarnation, String after) {
    try {
      if (!incarnation.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure(incarnation, "was still alive " + EXIT_TIMEOUT + " after " + after);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(incarnation, "was being waited for when the test thread was interrupted");
    }
  }

  /** How the child ended, once its stdout has: its exit status, after waiting a little for the process to be gone. */
  private static String exitDescription(Incarnation incarnation) {
    try {
      if (incarnation.process.waitFor(5, TimeUnit.SECONDS)) {
        return "status " + incarnation.process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "stdout closed";
  }

  private AssertionError failure(Incarnation incarnation, String what) {
    return new AssertionError("child '" + name + "' (pid " + incarnation.process.pid() + ") " + what
        + "; the end of its stderr (" + incarnation.stderr + "):\n" + stderrTail(incarnation.stderr));
  }

  private static String stderrTail(Path stderr) {
    try {
      List<String> lines = Files.readAllLines(stderr, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** One start of the child: its process, its stdout lines, its stderr file. */
  private static final class Incarnation {
    final Process process;
    final Path stderr;
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean stdoutEnded;

    Incarnation(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
    }

    void readStdout() {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          signal();
        }
      } catch (IOException killed) {
        // The stream breaks when the process is killed; what was read stays.
      } finally {
        stdoutEnded = true;
        signal();
      }
    }

    /**
     * Waits up to {@code nanos} for more than {@code seen} lines or the end of stdout.
     *
     * @return false if interrupted (the flag is set again)
     */
    synchronized boolean awaitOutput(int seen, long nanos) {
      long deadline = System.nanoTime() + nanos;
      try {
        for (long left = nanos; left > 0 && lines.size() <= seen && !stdoutEnded; left = deadline - System.nanoTime()) {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    private synchronized void signal() {
      notifyAll();
    }
  }

  /** Configures a {@link ChildAgent}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    private final String name;
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private Path logDirectory = Path.of("target", "child-agents");

    private Builder(String name, String mainClass) {
      requireNonNull(name, "name");
      requireNonNull(mainClass, "mainClass");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("name must be 1 to 200 of a-z A-Z 0-9 . _ -, but was '" + name + "'");
      }
      if (mainClass.isBlank()) {
        throw new IllegalArgumentException("mainClass must not be blank");
      }
      this.name = name;
      this.mainClass = mainClass;
    }

    /**
     * Adds arguments for the main method, after those added before. Default none.
     *
     * @param args the arguments
     * @return this builder
     * @throws NullPointerException if {@code args} or one of them is null
     */
    public Builder args(String... args) {
      for (String arg : args) {
        this.args.add(requireNonNull(arg, "args[]"));
      }
      return this;
    }

    /**
     * Adds options for the JVM, such as {@code -Xmx256m}, after those added before. Default none.
     *
     * @param options the options
     * @return this builder
     * @throws NullPointerException if {@code options} or one of them is null
     */
    public Builder jvmOptions(String... options) {
      for (String option : options) {
        this.jvmOptions.add(requireNonNull(option, "options[]"));
      }
      return this;
    }

    /**
     * Sets an environment variable of the child, beside those it inherits; a way to hand it a secret that its command
     * line, which {@code ps} shows, should not carry. Setting the same name again replaces the value. Default none.
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is empty or contains {@code '='}
     */
    public Builder environment(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isEmpty() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("environment variable name must be non-empty without '=', but was '"
            + name + "'");
      }
      environment.put(name, value);
      return this;
    }

    /**
     * Sets the class path. Default: the test's own, {@code java.class.path} (under Surefire and Failsafe a jar whose
     * manifest lists the test class path).
     *
     * @param classPath the class path
     * @return this builder
     * @throws NullPointerException if {@code classPath} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder classPath(String classPath) {
      requireNonNull(classPath, "classPath");
      if (classPath.isBlank()) {
        throw new IllegalArgumentException("classPath must not be blank");
      }
      this.classPath = classPath;
      return this;
    }

    /**
     * Sets the folder for the children's stderr files, {@code <name>-<start>.stderr.log}. Default {@code
     * target/child-agents}, created when needed.
     *
     * @param logDirectory the folder
     * @return this builder
     * @throws NullPointerException if {@code logDirectory} is null
     */
    public Builder logDirectory(Path logDirectory) {
      this.logDirectory = requireNonNull(logDirectory, "logDirectory");
      return this;
    }

    /**
     * Starts the child. It is not ready yet: {@link ChildAgent#awaitRunning(Duration)} waits for that.
     *
     * @return the started child; close it when done
     * @throws UncheckedIOException if the process cannot be started
     */
    public ChildAgent start() {
      ChildAgent child = new ChildAgent(this);
      child.launch();
      return child;
    }
  }
}
