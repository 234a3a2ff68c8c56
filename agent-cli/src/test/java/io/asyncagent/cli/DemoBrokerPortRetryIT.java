package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A port picked as free can be taken before Kafka binds it. Kafka answers a controller bind failure with
 * {@code Exit.halt(1)}; these tests would end the test JVM if DemoBroker did not prevent that.
 */
final class DemoBrokerPortRetryIT {

  private ServerSocket taken;

  @BeforeEach
  void takeAPort() throws Exception {
    taken = new ServerSocket();
    taken.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
  }

  @AfterEach
  void releaseThePort() throws Exception {
    taken.close();
  }

  @Test
  void startRetriesWithNewPortsWhenThePickedControllerPortIsTaken() {
    AtomicInteger picks = new AtomicInteger();
    LoopbackPorts firstPickCollides = () -> {
      int[] free = LoopbackPorts.SYSTEM.pickTwo();
      return picks.incrementAndGet() == 1 ? new int[] {free[0], taken.getLocalPort()} : free;
    };

    try (DemoBroker broker = DemoBroker.start(firstPickCollides)) {
      broker.createTopic("after-retry", 1);

      assertThat(picks).hasValue(2);
      assertThat(broker.directory().resolve("attempt-1")).doesNotExist();
      assertThat(broker.directory().resolve("attempt-2")).isDirectory();
    }
  }

  @Test
  void startGivesUpAfterFourAttemptsWhenTheBrokerPortIsAlwaysTaken() {
    AtomicInteger picks = new AtomicInteger();
    AtomicReference<int[]> lastPick = new AtomicReference<>();
    LoopbackPorts alwaysCollides = () -> {
      picks.incrementAndGet();
      int[] pick = {taken.getLocalPort(), LoopbackPorts.SYSTEM.pickTwo()[1]};
      lastPick.set(pick);
      return pick;
    };

    assertThatThrownBy(() -> DemoBroker.start(alwaysCollides))
        .isInstanceOf(KafkaException.class)
        .hasMessage("Kafka broker could not bind its ports in 4 attempts; the last: Kafka broker at 127.0.0.1:"
            + taken.getLocalPort() + " (controller port " + lastPick.get()[1] + ") failed to start:"
            + " Received a fatal error while waiting for all of the SocketServer Acceptors to be started"
            + " <- Unable to start acceptor for PLAINTEXT"
            + " <- Socket server failed to bind to 127.0.0.1:" + taken.getLocalPort() + ": Address already in use."
            + " <- Address already in use");
    assertThat(picks).hasValue(4);
  }
}
