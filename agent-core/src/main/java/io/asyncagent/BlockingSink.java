package io.asyncagent;

/**
 * Blocking code that delivers one event; adapt it with {@link BackendSink#blocking(BlockingSink)}.
 * Returning normally means delivered; throwing means not delivered — throw a {@link DeliveryException}
 * to say whether a retry could help.
 */
@FunctionalInterface
public interface BlockingSink {

  /**
   * Delivers {@code event}, blocking until done.
   *
   * @param event the event
   * @throws Exception if the event was not delivered; a {@link DeliveryException} says whether a retry could help
   */
  void deliver(Event event) throws Exception;
}
