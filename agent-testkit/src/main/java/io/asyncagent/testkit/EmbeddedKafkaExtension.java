package io.asyncagent.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that injects one shared {@link EmbeddedKafka} per test class into parameters of that type.
 * Use it through {@link WithEmbeddedKafka}.
 *
 * <p>The cluster lives in the store of the outermost test class's context, so it is closed after that class
 * (including its {@code @Nested} classes) has finished, and {@code @Nested} classes get the same instance as their
 * enclosing class. It starts lazily, on the first parameter that asks for it.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(EmbeddedKafkaExtension.class);

  /** Creates the extension; JUnit calls this through {@link WithEmbeddedKafka} or {@code @ExtendWith}. */
  public EmbeddedKafkaExtension() {}

  /**
   * Supports parameters whose declared type is exactly {@link EmbeddedKafka}.
   *
   * @param parameter the parameter to resolve
   * @param context the context of the executable that declares it
   * @return whether the parameter is of type {@link EmbeddedKafka}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafka.class;
  }

  /**
   * Returns the cluster shared by the test class, starting it if this is the first request.
   *
   * @param parameter the parameter to resolve
   * @param context the context of the executable that declares it
   * @return the shared cluster
   * @throws ParameterResolutionException if the cluster fails to start, or there is no test class in the context
   */
  @Override
  public EmbeddedKafka resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext outermostClass = null;
    for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
      if (!isClassContext(current)) {
        continue;
      }
      // An enclosing class that already started a cluster shares it with its @Nested classes.
      SharedCluster existing = store(current).get(current.getRequiredTestClass(), SharedCluster.class);
      if (existing != null) {
        return existing.kafka;
      }
      outermostClass = current;
    }
    if (outermostClass == null) {
      throw new ParameterResolutionException(
          "cannot inject EmbeddedKafka into " + parameter.getDeclaringExecutable() + ": no test class in context");
    }
    try {
      // getOrComputeIfAbsent is atomic, so parallel tests of one class still start a single cluster.
      return store(outermostClass)
          .getOrComputeIfAbsent(
              outermostClass.getRequiredTestClass(), testClass -> new SharedCluster(EmbeddedKafka.start()),
              SharedCluster.class)
          .kafka;
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("could not start the embedded Kafka cluster: " + e.getMessage(), e);
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
    private final EmbeddedKafka kafka;

    SharedCluster(EmbeddedKafka kafka) {
      this.kafka = kafka;
    }

    @Override
    public void close() {
      kafka.close();
    }
  }
}
