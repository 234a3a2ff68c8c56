/**
 * Agents from a KrakenD configuration file: {@link io.asyncagent.krakend.KrakendConfig} reads and checks the
 * {@code async_agent} array of a {@code krakend.json}, each entry an {@link io.asyncagent.krakend.AgentDefinition}
 * that builds agents.
 *
 * <p>Null is not a valid argument unless a method says so, and no method returns null.
 */
package io.asyncagent.krakend;
