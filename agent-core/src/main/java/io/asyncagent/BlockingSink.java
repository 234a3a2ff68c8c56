package io.asyncagent;

/**
 * Blocking code that delivers one event; adapt it with {@link BackendSink#blocking(BlockingSink)}.
 * Returning normally means delivered; throwing means not delivered — throw a {@link DeliveryException}
 * to say whether a retry could help.
 */
@FunctionalInterface
public interface BlockingSink {

  /** Delivers {@code event}, blocking until done. */
  void deliver(Event event) throws Exception;
}
