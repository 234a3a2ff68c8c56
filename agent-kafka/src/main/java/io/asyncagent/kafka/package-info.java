/**
 * The Kafka driver: {@link io.asyncagent.kafka.KafkaDriver}, configured with a {@link io.asyncagent.kafka.Cluster}
 * (brokers, {@link io.asyncagent.kafka.Sasl}, {@link io.asyncagent.kafka.ClientTls}) and a
 * {@link io.asyncagent.kafka.Group}, as KrakenD's {@code extra_config."async/kafka"} block; and
 * {@link io.asyncagent.kafka.KafkaDeadLetters}, a sink that writes events given up on to a topic.
 *
 * <p>Null is not a valid argument unless a method says so, and no method returns null.
 */
package io.asyncagent.kafka;
