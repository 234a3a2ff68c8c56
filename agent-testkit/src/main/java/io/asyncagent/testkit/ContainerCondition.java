package io.asyncagent.testkit;

import static io.asyncagent.testkit.EmbeddedKafkaExtension.BACKING_PROPERTY;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Decides whether a test class or method can run when the backing is {@code testcontainers}: not without Docker, and
 * not if it takes an {@link EmbeddedKafka}, which only the in-JVM broker can be. Either way it is skipped with the
 * reason, rather than failed or quietly run on the in-JVM broker.
 */
final class ContainerCondition {
  static final String DOCKER_UNAVAILABLE =
      "Docker is not available, and " + BACKING_PROPERTY + "=testcontainers runs Kafka in a Docker container";

  private static final List<Class<? extends Annotation>> LIFECYCLE =
      List.of(BeforeAll.class, BeforeEach.class, AfterEach.class, AfterAll.class);

  private ContainerCondition() {}

  /**
   * Checks Docker, then the parameters JUnit will resolve in {@code context}: a test method's own, or for a class its
   * constructors' and lifecycle methods'.
   */
  static ConditionEvaluationResult evaluate(ExtensionContext context, BooleanSupplier dockerAvailable) {
    if (!dockerAvailable.getAsBoolean()) {
      return ConditionEvaluationResult.disabled(DOCKER_UNAVAILABLE);
    }
    List<Executable> executables = new ArrayList<>();
    if (context.getTestMethod().isPresent()) {
      executables.add(context.getTestMethod().get());
    } else if (context.getTestClass().isPresent()) {
      Class<?> testClass = context.getTestClass().get();
      executables.addAll(Arrays.asList(testClass.getDeclaredConstructors()));
      for (Class<? extends Annotation> lifecycle : LIFECYCLE) {
        executables.addAll(
            AnnotationSupport.findAnnotatedMethods(testClass, lifecycle, HierarchyTraversalMode.TOP_DOWN));
      }
    }
    return firstTakingEmbeddedKafka(executables)
        .map(executable -> ConditionEvaluationResult.disabled(needsTheInJvmBroker(executable)))
        .orElseGet(() -> ConditionEvaluationResult.enabled("Kafka runs in a Docker container"));
  }

  /** {@code OrdersIT.restarts(EmbeddedKafka) takes an EmbeddedKafka, ...}: why such a test cannot run here. */
  static String needsTheInJvmBroker(Executable executable) {
    return describe(executable) + " takes an EmbeddedKafka, the in-JVM broker, but " + BACKING_PROPERTY
        + "=testcontainers; a KafkaCluster parameter runs on either";
  }

  private static Optional<Executable> firstTakingEmbeddedKafka(List<Executable> executables) {
    return executables.stream()
        .filter(executable -> Arrays.asList(executable.getParameterTypes()).contains(EmbeddedKafka.class))
        .findFirst();
  }

  /** {@code OrdersIT.restarts(EmbeddedKafka)}, or {@code new OrdersIT(EmbeddedKafka)} for a constructor. */
  private static String describe(Executable executable) {
    String parameters =
        Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
    String owner = executable.getDeclaringClass().getSimpleName();
    boolean constructor = executable instanceof Constructor;
    return (constructor ? "new " + owner : owner + "." + executable.getName()) + "(" + parameters + ")";
  }
}
