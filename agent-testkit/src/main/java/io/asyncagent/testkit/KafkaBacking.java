package io.asyncagent.testkit;

import static io.asyncagent.testkit.EmbeddedKafkaExtension.BACKING_PROPERTY;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What runs the Kafka of {@link EmbeddedKafkaExtension}, as {@value EmbeddedKafkaExtension#BACKING_PROPERTY} says. */
enum KafkaBacking {
  /** {@link EmbeddedKafka}, in the test JVM; the default. */
  EMBEDDED,
  /** {@link ContainerKafka}, in a Docker container. */
  TESTCONTAINERS;

  /**
   * Reads the backing from the JUnit configuration parameter, which JUnit looks up in the launcher's parameters, then
   * the JVM's system properties, then {@code junit-platform.properties}.
   *
   * @throws IllegalArgumentException if the value is neither {@code embedded} nor {@code testcontainers}
   */
  static KafkaBacking of(ExtensionContext context) {
    return context.getConfigurationParameter(BACKING_PROPERTY).map(KafkaBacking::parse).orElse(EMBEDDED);
  }

  /** Parses {@code embedded} or {@code testcontainers}, ignoring case and surrounding blanks. */
  static KafkaBacking parse(String value) {
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "embedded":
        return EMBEDDED;
      case "testcontainers":
        return TESTCONTAINERS;
      default:
        throw new IllegalArgumentException(
            BACKING_PROPERTY + " must be 'embedded' or 'testcontainers', but was '" + value + "'");
    }
  }
}
