/**
 * The async-agent core: {@link io.asyncagent.AsyncAgent} and its builder, the {@link io.asyncagent.BackendSink}
 * API that sinks implement, and, in {@link io.asyncagent.spi}, the SPI that drivers implement.
 *
 * <p>Only the API packages are exported; {@code io.asyncagent.internal} is not, so the implementation can change
 * in any release. SLF4J is read but not re-exported: no type of it appears in the API.
 */
module io.asyncagent {
  requires org.slf4j;

  exports io.asyncagent;
  exports io.asyncagent.spi;
}
