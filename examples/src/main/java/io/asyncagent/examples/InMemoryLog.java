package io.asyncagent.examples;

import static java.util.Objects.requireNonNull;

import io.asyncagent.Event;
import io.asyncagent.Partition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An append-only log of topics and partitions held in memory: the message source that {@link InMemoryDriver}
 * reads, standing for Kafka in a driver small enough to learn the driver contract from (docs/extending.md).
 *
 * <p>Each partition numbers its events from 0 without gaps. The log also keeps, for each reader (an agent's
 * name, as Kafka keeps a consumer group's), the position it committed in each partition. Logs are found by
 * name, as H2's in-memory databases are, so that a configuration file can name one.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLog {
  private static final Map<String, InMemoryLog> NAMED = new ConcurrentHashMap<>();

  private final String name;
  private final Map<String, List<List<Event>>> topics = new HashMap<>(); // guarded by this
  private final Map<String, Map<Partition, Long>> committed = new HashMap<>(); // guarded by this
  private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

  private InMemoryLog(String name) {
    this.name = name;
  }

  /**
   * Returns the log called {@code name}, creating it empty the first time.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static InMemoryLog named(String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
    }
    return NAMED.computeIfAbsent(name, InMemoryLog::new);
  }

  /** Returns the log's name. */
  public String name() {
    return name;
  }

  /**
   * Creates {@code topic} with {@code partitions} empty partitions.
   *
   * @throws IllegalArgumentException if {@code partitions < 1}
   * @throws IllegalStateException if the topic exists
   */
  public synchronized void createTopic(String topic, int partitions) {
    requireNonNull(topic, "topic");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, but was " + partitions);
    }
    if (topics.containsKey(topic)) {
      throw new IllegalStateException("topic '" + topic + "' exists in the log '" + name + "'");
    }
    List<List<Event>> created = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      created.add(new ArrayList<>());
    }
    topics.put(topic, created);
  }

  /** Returns how many partitions {@code topic} has; 0 when the log has no such topic. */
  public synchronized int partitions(String topic) {
    List<List<Event>> partitions = topics.get(topic);
    return partitions == null ? 0 : partitions.size();
  }

  /**
   * Appends an event with {@code body} (in UTF-8) to a partition of a topic, and returns its offset.
   *
   * @throws IllegalArgumentException if the log has no such topic or partition
   */
  public long append(String topic, int partition, String body) {
    long offset;
    synchronized (this) {
      List<Event> events = events(new Partition(topic, partition));
      offset = events.size();
      events.add(Event.builder(topic, partition, offset).timestampMillis(System.currentTimeMillis())
          .body(body.getBytes(StandardCharsets.UTF_8)).build());
    }
    // Outside the lock: a listener takes a lock of its own, and must never wait for this one while holding it.
    appendListeners.forEach(Runnable::run);
    return offset;
  }

  /**
   * Returns the positions {@code reader} committed: for each partition, the offset of the next event to read.
   * Partitions it never committed are absent.
   */
  public synchronized Map<Partition, Long> committed(String reader) {
    return Map.copyOf(committed.getOrDefault(reader, Map.of()));
  }

  /** Returns the offset the next event appended to {@code partition} will get. */
  synchronized long end(Partition partition) {
    return events(partition).size();
  }

  /** Returns the event at {@code offset}, which must be below {@link #end}. */
  synchronized Event read(Partition partition, long offset) {
    return events(partition).get(Math.toIntExact(offset));
  }

  /** Records that {@code reader} will go on from {@code offset} in {@code partition}. */
  synchronized void commit(String reader, Partition partition, long offset) {
    committed.computeIfAbsent(reader, r -> new HashMap<>()).put(partition, offset);
  }

  /** Runs {@code listener} after every append, on the appending thread; the returned action stops that. */
  Runnable onAppend(Runnable listener) {
    appendListeners.add(listener);
    return () -> appendListeners.remove(listener);
  }

  private List<Event> events(Partition partition) {
    List<List<Event>> partitions = topics.get(partition.topic());
    if (partitions == null || partition.partition() >= partitions.size()) {
      throw new IllegalArgumentException("the log '" + name + "' has no partition " + partition);
    }
    return partitions.get(partition.partition());
  }

  /** Returns the log's name and topics. */
  @Override
  public synchronized String toString() {
    return "InMemoryLog{" + name + ", topics " + topics.keySet() + "}";
  }
}
