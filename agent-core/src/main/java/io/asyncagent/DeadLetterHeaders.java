package io.asyncagent;

/**
 * The headers a dead-lettered event carries beside its original key, body and headers, so that whoever
 * reads the dead letters knows where the event came from and why it was given up.
 */
public final class DeadLetterHeaders {
  private DeadLetterHeaders() {}

  /** The topic the event was read from. */
  public static final String TOPIC = "asyncagent-dlq-topic";
  /** The partition it was read from. */
  public static final String PARTITION = "asyncagent-dlq-partition";
  /** Its offset in that partition. */
  public static final String OFFSET = "asyncagent-dlq-offset";
  /** Its timestamp, in milliseconds since the epoch. */
  public static final String TIMESTAMP = "asyncagent-dlq-timestamp";
  /** How many delivery attempts were made. */
  public static final String ATTEMPTS = "asyncagent-dlq-attempts";
  /** The status the backend answered last (an HTTP status), when it answered at all. */
  public static final String STATUS = "asyncagent-dlq-status";
  /** The last failure's message, at most 1,000 characters. */
  public static final String ERROR = "asyncagent-dlq-error";
  /** The last failure's exception class. */
  public static final String EXCEPTION = "asyncagent-dlq-exception";
  /**
   * Present when the dead-letter topic could not take the body (it was larger than the topic allows): the
   * body's size in bytes. The letter then has no body; its coordinates lead to the original.
   */
  public static final String BODY_OMITTED = "asyncagent-dlq-body-omitted";
}
