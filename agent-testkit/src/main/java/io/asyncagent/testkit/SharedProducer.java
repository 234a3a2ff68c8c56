package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The one idempotent producer behind {@link EmbeddedKafka#produce(List)}, created on first use so a test that never
 * produces pays nothing for it.
 */
final class SharedProducer {
  private final String bootstrapServers;
  private final Duration timeout;
  private KafkaProducer<byte[], byte[]> producer; // guarded by this
  private boolean closed; // guarded by this

  SharedProducer(String bootstrapServers, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
  }

  /** Sends {@code records} and waits for every acknowledgement, within {@code timeout} in all. */
  int produce(List<ProducerRecord<byte[], byte[]>> records) {
    requireNonNull(records, "records");
    KafkaProducer<byte[], byte[]> producer = producer();
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    List<Exception> failures = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : records) {
      requireNonNull(record, "record");
      try {
        acks.add(producer.send(record));
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        failures.add(e.getCause() instanceof Exception ? (Exception) e.getCause() : e);
      } catch (TimeoutException e) {
        failures.add(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while producing " + records.size() + " records", e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failed =
          new IllegalStateException(
              "failed to produce " + failures.size() + " of " + records.size() + " records: " + failures.get(0),
              failures.get(0));
      failures.subList(1, failures.size()).forEach(failed::addSuppressed);
      throw failed;
    }
    return records.size();
  }

  /** Closes the producer, if one was created, and refuses later sends. Idempotent. */
  synchronized void close(Duration closeTimeout) {
    closed = true;
    if (producer != null) {
      producer.close(closeTimeout);
      producer = null;
    }
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (closed) {
      throw new IllegalStateException("this embedded Kafka cluster is closed");
    }
    if (producer == null) {
      producer = new KafkaProducer<>(ClientConfigs.producer(bootstrapServers, timeout));
    }
    return producer;
  }
}
