/**
 * The service provider interface for driver authors: a {@link io.asyncagent.spi.Driver} connects to a
 * message source and hands events to the agent's {@link io.asyncagent.spi.Dispatcher}; the dispatcher
 * tells the driver, through a callback per event, when the event's pipeline has completed so that the
 * driver may commit past it.
 *
 * <p>Hosts that only use the agent never need this package.
 */
package io.asyncagent.spi;
