package io.asyncagent.krakend;

import io.asyncagent.spi.DriverFactory;
import io.asyncagent.spi.SinkFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The driver and sink factories on the class path, found through {@link ServiceLoader} with the context
 * class loader of the thread reading the file (so that a host with its own class loaders — a servlet
 * container, a plugin system — is looked into, as with JDBC drivers).
 */
final class Factories {
  private final Map<String, DriverFactory> drivers;
  private final List<SinkFactory> sinks;

  private Factories(Map<String, DriverFactory> drivers, List<SinkFactory> sinks) {
    this.drivers = drivers;
    this.sinks = sinks;
  }

  /** Loads every factory; when two drivers claim one namespace, the first found on the class path wins. */
  static Factories load() {
    Map<String, DriverFactory> drivers = new TreeMap<>();
    for (DriverFactory factory : ServiceLoader.load(DriverFactory.class)) {
      drivers.putIfAbsent(factory.namespace(), factory);
    }
    List<SinkFactory> sinks = new ArrayList<>();
    ServiceLoader.load(SinkFactory.class).forEach(sinks::add);
    // The HTTP factory takes every entry, as a KrakenD backend is HTTP unless told otherwise: it goes last, so
    // that a factory for a more specific kind of backend is asked first. The sort is stable.
    sinks.sort(Comparator.comparing(factory -> factory.kind().equals("http")));
    return new Factories(drivers, List.copyOf(sinks));
  }

  /** Returns the factory of the driver namespace {@code namespace}, if one is on the class path. */
  Optional<DriverFactory> driver(String namespace) {
    return Optional.ofNullable(drivers.get(namespace));
  }

  /** Returns the driver namespaces on the class path, sorted. */
  List<String> driverNamespaces() {
    return List.copyOf(drivers.keySet());
  }

  /** Returns the sink factories, in the order they are asked whether they accept an entry. */
  List<SinkFactory> sinks() {
    return sinks;
  }
}
