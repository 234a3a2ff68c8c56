package io.asyncagent.krakend;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.ConnectionPolicy;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Ordering;
import io.asyncagent.spi.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the readers of one {@code async_agent} entry collect, with KrakenD's defaults, before it becomes an
 * {@link AgentDefinition}. Mutable, and confined to the thread reading the file.
 */
final class AgentParts {
  String name;
  List<String> topics = List.of();
  String namespace;
  String driverSummary;
  Driver driver;
  final List<Supplier<BackendSink>> sinks = new ArrayList<>();
  int workers = 1;
  Duration timeout = Duration.ofMillis(AsyncAgent.DEFAULT_TIMEOUT_MILLIS);
  double maxRate;
  ConnectionPolicy connection = ConnectionPolicy.defaults();
  Ordering ordering = Ordering.UNORDERED;
  FailurePolicy onFailure = FailurePolicy.skip();
  Integer bufferSize;
  Long maxBufferedBytes;
  Duration startTimeout;
  Duration drainTimeout;
}
