package io.asyncagent.krakend;

import io.asyncagent.BackendSink;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.SinkFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A sink factory for tests, registered in this module's test resources: it takes the backend entries whose
 * {@code extra_config} has {@code "test/counting": {"label": "x"}} — before the HTTP factory, which takes every
 * entry — and counts the sinks its recipes make, by label.
 */
public final class CountingSinkFactory implements SinkFactory {
  static final String NAMESPACE = "test/counting";
  static final Map<String, AtomicInteger> MADE = new ConcurrentHashMap<>();

  /** Creates the factory; ServiceLoader calls this. */
  public CountingSinkFactory() {}

  @Override
  public String kind() {
    return "counting";
  }

  @Override
  public boolean accepts(ConfigNode backend) {
    return backend.raw("extra_config").filter(extra -> extra instanceof Map<?, ?> map && map.containsKey(NAMESPACE))
        .isPresent();
  }

  @Override
  public Optional<Supplier<BackendSink>> create(ConfigNode backend, Defaults defaults) {
    int before = backend.problemCount();
    backend.rejectUnknown(List.of("extra_config"));
    Optional<String> label = backend.object("extra_config").flatMap(extra -> extra.object(NAMESPACE))
        .flatMap(counting -> counting.string("label"));
    if (backend.problemCount() > before || label.isEmpty()) {
      return Optional.empty();
    }
    AtomicInteger made = MADE.computeIfAbsent(label.get(), l -> new AtomicInteger());
    return Optional.of(new Supplier<>() {
      @Override
      public BackendSink get() {
        made.incrementAndGet();
        return event -> CompletableFuture.completedFuture(null);
      }

      @Override
      public String toString() {
        return "counting " + label.get() + " for " + defaults.agentName() + " within " + defaults.timeout();
      }
    });
  }
}
