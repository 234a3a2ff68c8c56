package io.asyncagent.testkit;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that injects one shared Kafka cluster per test class into parameters of type {@link
 * KafkaCluster} and {@link EmbeddedKafka}. Use it through {@link WithEmbeddedKafka}.
 *
 * <p>The cluster lives in the store of the outermost test class's context, so it is closed after that class
 * (including its {@code @Nested} classes) has finished, and {@code @Nested} classes get the same instance as their
 * enclosing class. It starts lazily, on the first parameter that asks for it.
 *
 * <h2>Backing</h2>
 *
 * <p>What runs the cluster is chosen by {@value #BACKING_PROPERTY}, a JVM system property (such as {@code mvn verify
 * -Dasyncagent.testkit.kafka=testcontainers}) or a JUnit configuration parameter (such as a line in {@code
 * junit-platform.properties}):
 *
 * <ul>
 *   <li>{@code embedded}, the default: an {@link EmbeddedKafka}, a real broker in the test JVM. Both parameter types
 *       get the same instance.
 *   <li>{@code testcontainers}: one broker in a Docker container, Testcontainers' {@code KafkaContainer} with the
 *       image of {@value #IMAGE_PROPERTY} (default {@value #DEFAULT_IMAGE}), configured like {@link EmbeddedKafka}.
 *       It needs {@code org.testcontainers:kafka} (1.21.4 or a later 1.x) among the test dependencies; this library
 *       declares it optional, so it is not there unless added. {@link KafkaCluster} parameters get the container. A
 *       test class is skipped, not failed, when there is no Docker engine (reason {@code Docker is not available,
 *       and asyncagent.testkit.kafka=testcontainers runs Kafka in a Docker container}), and so is a test that takes
 *       an {@link EmbeddedKafka} in its constructor, a lifecycle method or the test method itself, because only the
 *       in-JVM broker can be one.
 * </ul>
 *
 * <p>Any other value fails the test class with {@code asyncagent.testkit.kafka must be 'embedded' or
 * 'testcontainers', but was 'docker'}; so does {@code testcontainers} without Testcontainers on the class path.
 */
public final class EmbeddedKafkaExtension implements ExecutionCondition, ParameterResolver {
  /**
   * The name of the system property or JUnit configuration parameter that chooses the backing: {@code embedded}
   * (default) or {@code testcontainers}, in any case.
   */
  public static final String BACKING_PROPERTY = "asyncagent.testkit.kafka";

  /**
   * The name of the system property or JUnit configuration parameter that names the Docker image when the backing is
   * {@code testcontainers}: an {@code apache/kafka} or {@code apache/kafka-native} image, default {@value
   * #DEFAULT_IMAGE}.
   */
  public static final String IMAGE_PROPERTY = "asyncagent.testkit.kafka.image";

  /** The image of the Kafka container unless {@value #IMAGE_PROPERTY} names another: the version of kafka-clients. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

  private static final Namespace NAMESPACE = Namespace.create(EmbeddedKafkaExtension.class);
  private static final ConditionEvaluationResult IN_JVM =
      ConditionEvaluationResult.enabled("Kafka runs in the test JVM");

  private final BooleanSupplier dockerAvailable;

  /** Creates the extension; JUnit calls this through {@link WithEmbeddedKafka} or {@code @ExtendWith}. */
  public EmbeddedKafkaExtension() {
    this(() -> Docker.isAvailable()); // a lambda, so not even Docker loads until the backing is testcontainers
  }

  /** For tests: {@code dockerAvailable} stands in for asking Testcontainers. */
  EmbeddedKafkaExtension(BooleanSupplier dockerAvailable) {
    this.dockerAvailable = dockerAvailable;
  }

  /**
   * Lets every test run when the backing is {@code embedded}. When it is {@code testcontainers}, skips the test class
   * or method if there is no Docker engine, or if it takes an {@link EmbeddedKafka} parameter.
   *
   * @param context the context of the test class or method about to run
   * @return whether it runs, and why
   * @throws IllegalArgumentException if {@value #BACKING_PROPERTY} has another value
   * @throws IllegalStateException if the backing is {@code testcontainers} but Testcontainers is not on the class path
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return KafkaBacking.of(context) == KafkaBacking.EMBEDDED
        ? IN_JVM
        : ContainerCondition.evaluate(context, dockerAvailable);
  }

  /**
   * Supports parameters whose declared type is exactly {@link KafkaCluster} or {@link EmbeddedKafka}.
   *
   * @param parameter the parameter to resolve
   * @param context the context of the executable that declares it
   * @return whether the parameter is of type {@link KafkaCluster} or {@link EmbeddedKafka}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaCluster.class || type == EmbeddedKafka.class;
  }

  /**
   * Returns the cluster shared by the test class, starting it if this is the first request.
   *
   * @param parameter the parameter to resolve
   * @param context the context of the executable that declares it
   * @return the shared cluster
   * @throws ParameterResolutionException if the cluster fails to start, if there is no test class in the context, or
   *     if the parameter is an {@link EmbeddedKafka} but the backing is {@code testcontainers} (which {@link
   *     #evaluateExecutionCondition} normally skips before)
   */
  @Override
  public KafkaCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KafkaBacking backing = KafkaBacking.of(context);
    boolean inJvmOnly = parameter.getParameter().getType() == EmbeddedKafka.class;
    if (inJvmOnly && backing != KafkaBacking.EMBEDDED) {
      throw new ParameterResolutionException(
          ContainerCondition.needsTheInJvmBroker(parameter.getDeclaringExecutable()));
    }
    KafkaCluster cluster = sharedCluster(parameter, context, backing);
    if (inJvmOnly && !(cluster instanceof EmbeddedKafka)) {
      throw new ParameterResolutionException(
          "cannot inject EmbeddedKafka into " + parameter.getDeclaringExecutable() + ": the class shares " + cluster);
    }
    return cluster;
  }

  private static KafkaCluster sharedCluster(
      ParameterContext parameter, ExtensionContext context, KafkaBacking backing) {
    ExtensionContext outermostClass = null;
    for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
      if (!isClassContext(current)) {
        continue;
      }
      // An enclosing class that already started a cluster shares it with its @Nested classes.
      SharedCluster existing = store(current).get(current.getRequiredTestClass(), SharedCluster.class);
      if (existing != null) {
        return existing.cluster;
      }
      outermostClass = current;
    }
    if (outermostClass == null) {
      throw new ParameterResolutionException(
          "cannot inject " + parameter.getParameter().getType().getSimpleName() + " into "
              + parameter.getDeclaringExecutable() + ": no test class in context");
    }
    ExtensionContext owner = outermostClass;
    try {
      // getOrComputeIfAbsent is atomic, so parallel tests of one class still start a single cluster.
      return store(owner)
          .getOrComputeIfAbsent(
              owner.getRequiredTestClass(), testClass -> new SharedCluster(start(backing, owner)), SharedCluster.class)
          .cluster;
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(
          (backing == KafkaBacking.EMBEDDED
                  ? "could not start the embedded Kafka cluster: "
                  : "could not start the Kafka container: ")
              + e.getMessage(),
          e);
    }
  }

  private static KafkaCluster start(KafkaBacking backing, ExtensionContext context) {
    switch (backing) {
      case TESTCONTAINERS:
        return ContainerKafka.start(context.getConfigurationParameter(IMAGE_PROPERTY).orElse(DEFAULT_IMAGE));
      case EMBEDDED:
      default:
        return EmbeddedKafka.start();
    }
  }

  /** Class-level contexts are those whose element is the class itself, not a method or the engine. */
  private static boolean isClassContext(ExtensionContext context) {
    Optional<Class<?>> testClass = context.getTestClass();
    return testClass.isPresent() && context.getElement().equals(Optional.of(testClass.get()));
  }

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(NAMESPACE);
  }

  /**
   * Closes the cluster when JUnit closes the class's store. It is both {@link AutoCloseable} (how JUnit 5.13+ prefers
   * it) and the older {@code CloseableResource} (for runs that turn automatic closing of {@code AutoCloseable}
   * values off); JUnit closes it once either way.
   */
  @SuppressWarnings("deprecation") // CloseableResource is deprecated in JUnit 5.13+, but still honoured.
  private static final class SharedCluster implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private final KafkaCluster cluster;

    SharedCluster(KafkaCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public void close() {
      cluster.close();
    }
  }
}
