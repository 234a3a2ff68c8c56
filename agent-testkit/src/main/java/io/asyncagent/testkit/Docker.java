package io.asyncagent.testkit;

import static io.asyncagent.testkit.EmbeddedKafkaExtension.BACKING_PROPERTY;

import org.testcontainers.DockerClientFactory;

/**
 * Asks Testcontainers whether it can reach a Docker engine. Testcontainers is an optional dependency, so this first
 * checks that it is there; the JVM resolves {@link DockerClientFactory} only when the check has passed.
 */
final class Docker {
  private static final String FACTORY = "org.testcontainers.DockerClientFactory";

  private Docker() {}

  /**
   * Tells whether Testcontainers finds a Docker engine. It looks once per JVM (and logs an ERROR when it finds none);
   * later calls return the same answer at once.
   *
   * @throws IllegalStateException if Testcontainers is not on the class path
   */
  static boolean isAvailable() {
    try {
      Class.forName(FACTORY, false, Docker.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          BACKING_PROPERTY + "=testcontainers needs org.testcontainers:kafka on the test class path, but "
              + FACTORY + " is missing; add that dependency, version 1.21.4 or a later 1.x",
          e);
    }
    return DockerClientFactory.instance().isDockerAvailable();
  }
}
