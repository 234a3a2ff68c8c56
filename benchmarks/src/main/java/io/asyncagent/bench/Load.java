package io.asyncagent.bench;

import io.asyncagent.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Fills topics fast, streaming: the records are never all in memory. */
final class Load {
  private Load() {}

  /**
   * Produces {@code count} records of {@code valueSize} bytes; record {@code i}'s key is {@code keyOf.apply(i)}
   * (null for none). Returns once every record is acknowledged.
   */
  static void produce(EmbeddedKafka kafka, String topic, int count, int valueSize, IntFunction<String> keyOf) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "1",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < count; i++) {
        String key = keyOf.apply(i);
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            value(i, valueSize)), (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("producing " + count + " records to " + topic + " failed", failure.get());
    }
  }

  /** A value of {@code size} bytes that starts with the record's number. */
  static byte[] value(int number, int size) {
    byte[] value = new byte[size];
    byte[] digits = Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < size; i++) {
      value[i] = i < digits.length ? digits[i] : (byte) 'x';
    }
    return value;
  }

  /** Consumer settings of a plain, fresh consumer reading from the beginning; the raw baseline. */
  static Map<String, Object> rawConsumer(EmbeddedKafka kafka, String group) {
    Map<String, Object> config = kafka.consumerConfig(group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return config;
  }
}
