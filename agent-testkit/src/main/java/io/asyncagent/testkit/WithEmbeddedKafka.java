package io.asyncagent.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a real Kafka cluster: declare a parameter of type {@link EmbeddedKafka} or {@link
 * KafkaCluster} in the constructor, a {@code @BeforeAll}/{@code @BeforeEach} method or a test method, and it is
 * injected.
 *
 * <p>One cluster is shared by all tests of the annotated class and its {@code @Nested} classes. It is started with
 * {@link EmbeddedKafka#start()} when first asked for (a class that never asks starts none) and closed after the
 * class's last test and {@code @AfterAll} method. Tests sharing it should use {@link EmbeddedKafka#uniqueTopic(String)}
 * and {@link EmbeddedKafka#uniqueGroup(String)} so they do not see each other's data.
 *
 * <p>With {@code -Dasyncagent.testkit.kafka=testcontainers} the cluster is a broker in a Docker container instead:
 * tests that take a {@link KafkaCluster} run on it, tests that take an {@link EmbeddedKafka} are skipped, and without a
 * Docker engine the whole class is skipped. See {@link EmbeddedKafkaExtension}.
 *
 * <pre>{@code
 * @WithEmbeddedKafka
 * class OrdersIT {
 *   @Test
 *   void deliversEveryRecord(EmbeddedKafka kafka) {
 *     String topic = EmbeddedKafka.uniqueTopic("orders");
 *     kafka.createTopic(topic, 3);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * @see EmbeddedKafkaExtension
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EmbeddedKafkaExtension.class)
public @interface WithEmbeddedKafka {}
