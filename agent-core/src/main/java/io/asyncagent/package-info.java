/**
 * The async-agent API: build an {@link io.asyncagent.AsyncAgent} that consumes topics and pushes every event to
 * one or more {@link io.asyncagent.BackendSink}s, start it, and close it.
 *
 * <p>Entry points are static factories: {@link io.asyncagent.AsyncAgent#builder()},
 * {@link io.asyncagent.FailurePolicy#retry()}, {@link io.asyncagent.BackendSink#blocking(BlockingSink)},
 * {@link io.asyncagent.AgentListener#NONE}. Every builder setter checks its value at once and throws
 * {@link java.lang.IllegalArgumentException} naming it; {@code build()} reports every cross-field problem together
 * in one {@link io.asyncagent.InvalidConfigException}. Exceptions of the library's own are
 * {@link io.asyncagent.AgentException}s.
 *
 * <p>Null is not a valid argument unless a method says so, and no method returns null: optional values are
 * {@link java.util.Optional}. Every time value is a {@link java.time.Duration}.
 */
package io.asyncagent;
