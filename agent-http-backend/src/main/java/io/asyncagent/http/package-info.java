/**
 * {@link io.asyncagent.http.HttpBackend}, a sink that sends each event to an HTTP endpoint, as KrakenD's
 * {@code backend} entry of an agent. Found through {@link java.util.ServiceLoader} by readers of a
 * {@code krakend.json} (agent-krakend).
 *
 * <p>Null is not a valid argument unless a method says so, and no method returns null.
 */
package io.asyncagent.http;
