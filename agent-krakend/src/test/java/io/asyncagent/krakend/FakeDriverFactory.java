package io.asyncagent.krakend;

import io.asyncagent.Event;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverFactory;
import io.asyncagent.spi.DriverSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A driver for tests that are not about Kafka, registered in this module's test resources under the namespace
 * {@code test/fake}: {@code {"label": "a", "events": ["body 1", "body 2"]}}. Its session is ready at once and
 * offers each of {@code events} once, on topic {@code topics[0]}, partition 0, offsets from 0, keyed
 * {@code k<offset>}. It rejects topics with a space, to show that a driver's topic check is reported.
 */
public final class FakeDriverFactory implements DriverFactory {
  static final String NAMESPACE = "test/fake";

  /** Creates the factory; ServiceLoader calls this. */
  public FakeDriverFactory() {}

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  @Override
  public Optional<Driver> create(ConfigNode config, String agentName) {
    int before = config.problemCount();
    config.rejectUnknown(List.of("events", "label"));
    if (!config.has("label")) {
      config.report("label", "is required");
    }
    Optional<String> label = config.string("label");
    List<String> events = config.strings("events").orElse(List.of());
    if (config.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(new FakeDriver(label.orElseThrow(), events));
  }

  /** The driver: configuration only, as a driver must be. */
  static final class FakeDriver implements Driver {
    final String label;
    final List<String> events;

    FakeDriver(String label, List<String> events) {
      this.label = label;
      this.events = List.copyOf(events);
    }

    @Override
    public String type() {
      return "fake";
    }

    @Override
    public Optional<String> checkTopic(String topic) {
      return topic.contains(" ") ? Optional.of("must not contain spaces, but was '" + topic + "'") : Optional.empty();
    }

    @Override
    public DriverSession connect(DriverContext context) {
      CompletableFuture<Void> terminated = new CompletableFuture<>();
      String topic = context.topics().get(0);
      for (int offset = 0; offset < events.size(); offset++) {
        Event event = Event.builder(topic, 0, offset)
            .key(("k" + offset).getBytes(StandardCharsets.UTF_8))
            .body(events.get(offset).getBytes(StandardCharsets.UTF_8))
            .build();
        if (context.dispatcher().offer(event, () -> {}).isEmpty()) {
          throw new AssertionError("the fake driver offers few events; the agent refused " + event.coordinates());
        }
      }
      return new DriverSession() {
        @Override
        public CompletionStage<Void> ready() {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> terminated() {
          return terminated;
        }

        @Override
        public void close(Duration grace) {
          terminated.complete(null);
        }
      };
    }

    @Override
    public String summary() {
      return "label " + label + ", " + events.size() + " events";
    }

    @Override
    public String toString() {
      return summary();
    }
  }
}
