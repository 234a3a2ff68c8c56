/**
 * Test support for agents and their drivers and sinks: a real Kafka cluster for tests
 * ({@link io.asyncagent.testkit.EmbeddedKafka}, shared per test class with
 * {@link io.asyncagent.testkit.WithEmbeddedKafka}), a {@link io.asyncagent.testkit.RecordingHttpBackend} on
 * loopback, test certificates and an OAuth token server, and {@link io.asyncagent.testkit.Await} to wait for a
 * condition with a deadline.
 */
package io.asyncagent.testkit;
