package io.asyncagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ChildAgent} running {@link Child}, a stand-in for an agent's main class, in JVMs of its own. */
class ChildAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Prints its argument and its environment's {@code CHILD_GREETING}, then runs until asked to stop. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("fail")) {
        System.err.println("the child gives up");
        System.exit(3);
      }
      System.out.println("PROGRESS 1 " + args[0]);
      System.out.println("PROGRESS 2 " + System.getenv("CHILD_GREETING"));
      ChildAgent.announceRunning();
      ChildAgent.awaitStopRequest();
    }
  }

  @Test
  void aChildReportsRunningAndItsLinesStopsCleanlyAndRunsAgainAfterASigkill() {
    try (ChildAgent child = ChildAgent.builder("child", Child.class.getName()).args("hello")
        .jvmOptions("-Xmx64m").environment("CHILD_GREETING", "from the test").start()) {
      child.awaitRunning(WAIT);
      assertThat(child.lines()).containsExactly("PROGRESS 1 hello", "PROGRESS 2 from the test", ChildAgent.RUNNING);
      assertThat(child.lastLineStartingWith("PROGRESS ")).hasValue("PROGRESS 2 from the test");
      assertThat(child.starts()).isEqualTo(1);
      long firstPid = child.pid();

      child.kill();
      assertThat(child.isAlive()).isFalse();
      child.restart();
      child.awaitRunning(WAIT);
      assertThat(child.starts()).isEqualTo(2);
      assertThat(child.pid()).isNotEqualTo(firstPid);
      assertThat(child.stderrLog().getFileName()).hasToString("child-2.stderr.log");
      assertThatThrownBy(child::restart).isInstanceOf(IllegalStateException.class)
          .hasMessage("child 'child' (pid " + child.pid() + ") is still running");

      child.stop(WAIT);
      assertThat(child.isAlive()).isFalse();
    }
  }

  @Test
  void waitingForAChildThatExitsFailsAtOnceWithTheEndOfItsStderr() {
    try (ChildAgent child = ChildAgent.builder("failing", Child.class.getName()).args("fail").start()) {
      assertThatThrownBy(() -> child.awaitRunning(WAIT)).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("child 'failing' (pid " + child.pid() + ") exited (status 3) before printing RUNNING")
          .hasMessageEndingWith("the child gives up");
    }
  }

  @Test
  void aNameOutsideTheAllowedCharactersIsRefused() {
    assertThatThrownBy(() -> ChildAgent.builder("no spaces", Child.class.getName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be 1 to 200 of a-z A-Z 0-9 . _ -, but was 'no spaces'");
  }
}
