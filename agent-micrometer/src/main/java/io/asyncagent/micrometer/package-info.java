/**
 * Micrometer meters for agents: {@link io.asyncagent.micrometer.AgentMetrics#listener AgentMetrics.listener(registry)}
 * returns the {@link io.asyncagent.AgentListener} that records them in a registry.
 */
package io.asyncagent.micrometer;
