package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class DeliveryTallyTest {
  private static final long START = 1_000_000_000L;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final DeliveryAttempt ATTEMPT =
      DeliveryAttempt.of(Event.builder("orders", 0, 0).build(), 1, Duration.ofMillis(3));

  private final DeliveryTally tally = new DeliveryTally(START);
  private final AsyncAgent stocks = new NamedAgent("stocks");
  private final AsyncAgent orders = new NamedAgent("orders");

  @Test
  void countsDeliveriesAndFailedAttemptsPerAgent() {
    deliver(stocks, 3);
    deliver(orders, 1);
    tally.failed(stocks, ATTEMPT, DeliveryFailure.of(new IllegalStateException("503"), DeliveryFailure.Next.RETRY));

    assertThat(tally.counts("stocks", START + SECOND)).isEqualTo(new DeliveryTally.Counts(3, 1, 3.0));
    assertThat(tally.counts("orders", START + SECOND)).isEqualTo(new DeliveryTally.Counts(1, 0, 1.0));
    assertThat(tally.total()).isEqualTo(new DeliveryTally.Counts(4, 1, 0));
  }

  @Test
  void theRateIsOfTheDeliveriesSinceThePreviousCallForTheSameAgent() {
    deliver(stocks, 10);
    assertThat(tally.counts("stocks", START + 2 * SECOND).perSecond()).isEqualTo(5.0);

    deliver(stocks, 30);
    assertThat(tally.counts("stocks", START + 2 * SECOND + SECOND / 2))
        .isEqualTo(new DeliveryTally.Counts(40, 0, 60.0));
    assertThat(tally.counts("stocks", START + 4 * SECOND)).isEqualTo(new DeliveryTally.Counts(40, 0, 0.0));
  }

  @Test
  void anAgentThatHasNotDeliveredCountsZero() {
    assertThat(tally.counts("quiet", START)).isEqualTo(new DeliveryTally.Counts(0, 0, 0.0));
    assertThat(tally.total()).isEqualTo(new DeliveryTally.Counts(0, 0, 0));
  }

  private void deliver(AsyncAgent agent, int events) {
    for (int i = 0; i < events; i++) {
      tally.delivered(agent, ATTEMPT);
    }
  }

  /** An agent that has a name and nothing else: all the tally asks of one. */
  private record NamedAgent(String name) implements AsyncAgent {

    @Override
    public AgentState state() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Throwable> failureCause() {
      throw new UnsupportedOperationException();
    }

    @Override
    public AgentHealth health() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void start() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}

    @Override
    public void close(Duration grace) {}
  }
}
