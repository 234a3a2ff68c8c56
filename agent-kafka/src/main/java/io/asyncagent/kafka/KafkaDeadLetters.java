package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.BackendSink;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.Header;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.kafka.internal.ProducerProperties;
import io.asyncagent.kafka.internal.TopicNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * A dead-letter topic: a {@link BackendSink} that writes each event it gets to a Kafka topic — the original
 * key, body and headers, with the {@link io.asyncagent.DeadLetterHeaders} the agent adds — and succeeds
 * once the brokers have acknowledged it ({@code acks=all}, idempotent).
 *
 * <pre>{@code
 * FailurePolicy.retry()
 *     .deadLetterTo(KafkaDeadLetters.topic("orders.dlq").cluster(cluster).build())
 *     .build();
 * }</pre>
 *
 * <p>A write that fails — the topic is missing, the agent may not write to it — fails the stage; the agent
 * tries again later and does not commit past the event meanwhile. A letter too large for the topic (over
 * 8 MiB, or over the topic's {@code max.message.bytes}) is written without its body, with
 * {@link DeadLetterHeaders#BODY_OMITTED} giving its size: it would otherwise fail for ever. The producer's blocking {@code send}
 * runs on a thread of the sink's own, never on an agent thread. The agent closes the sink when it stops.
 */
public final class KafkaDeadLetters implements BackendSink, AutoCloseable {
  private final String topic;
  private final Cluster cluster;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ExecutorService sender;

  private KafkaDeadLetters(Builder builder) {
    this.topic = builder.topic;
    this.cluster = builder.cluster;
    this.producer = new KafkaProducer<>(ProducerProperties.forDeadLetters(cluster, topic));
    this.sender = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "asyncagent-dlq-" + topic);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts a dead-letter topic called {@code topic}; {@code cluster} is required.
   *
   * @param topic the topic, a valid Kafka topic name
   * @return a builder
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is not a valid Kafka topic name
   */
  public static Builder topic(String topic) {
    return new Builder(topic);
  }

  /** {@return the topic dead letters go to} */
  public String topic() {
    return topic;
  }

  @Override
  public CompletionStage<Void> deliver(Event event) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    send(record(event, false), event, written);
    return written;
  }

  private ProducerRecord<byte[], byte[]> record(Event event, boolean withoutBody) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, event.key().orElse(null), withoutBody ? null : event.body());
    for (Header header : event.headers()) {
      record.headers().add(header.name(), header.value());
    }
    if (withoutBody) {
      record.headers().add(DeadLetterHeaders.BODY_OMITTED,
          Integer.toString(event.bodySize()).getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  /**
   * Sends on the sink's thread. A letter the topic cannot take because of its size would fail for ever and
   * hold its partition's commits for ever; it is written once more without its body instead.
   */
  private void send(ProducerRecord<byte[], byte[]> record, Event event, CompletableFuture<Void> written) {
    try {
      sender.execute(() -> {
        try {
          producer.send(record, (metadata, failure) -> {
            if (failure == null) {
              written.complete(null);
            } else if (failure instanceof RecordTooLargeException && record.value() != null) {
              send(record(event, true), event, written);
            } else {
              written.completeExceptionally(failed(failure));
            }
          });
        } catch (RecordTooLargeException tooLarge) {
          if (record.value() != null) {
            send(record(event, true), event, written);
          } else {
            written.completeExceptionally(failed(tooLarge));
          }
        } catch (RuntimeException e) {
          written.completeExceptionally(failed(e));
        }
      });
    } catch (RejectedExecutionException closed) {
      written.completeExceptionally(new DeliveryException("dead-letter topic " + topic + " is closed", true, closed));
    }
  }

  private DeliveryException failed(Throwable failure) {
    return new DeliveryException("writing to dead-letter topic " + topic + " failed: " + failure, true, failure);
  }

  /** Stops the sink's thread and closes its producer, after the writes already accepted. Idempotent. */
  @Override
  public void close() {
    sender.shutdown();
    producer.close(java.time.Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return "KafkaDeadLetters{topic=" + topic + ", cluster=" + cluster + "}";
  }

  /** Builds a {@link KafkaDeadLetters}. */
  public static final class Builder {
    private final String topic;
    private Cluster cluster;

    private Builder(String topic) {
      requireNonNull(topic, "topic");
      TopicNames.check(topic).ifPresent(problem -> {
        throw new IllegalArgumentException("dead-letter topic " + problem);
      });
      this.topic = topic;
    }

    /**
     * Sets the cluster of the topic, usually the agent's own. Required.
     *
     * @param cluster the cluster
     * @return this builder
     * @throws NullPointerException if {@code cluster} is null
     */
    public Builder cluster(Cluster cluster) {
      this.cluster = requireNonNull(cluster, "cluster");
      return this;
    }

    /**
     * Builds the sink and its producer.
     *
     * @return a new sink, owning a new producer
     * @throws InvalidConfigException if {@code cluster} was not set
     */
    public KafkaDeadLetters build() {
      if (cluster == null) {
        throw new InvalidConfigException("dead-letter topic " + topic,
            List.of(new Violation("cluster", "is required")));
      }
      return new KafkaDeadLetters(this);
    }
  }
}
