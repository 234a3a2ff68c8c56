package io.asyncagent.reliability;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.testkit.ChildAgent;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The agents the scenarios run, in the test JVM or as child JVMs, all sending to a {@link RecordingHttpBackend}. */
final class Agents {
  /** How long a child JVM may take to be running: JVM start, class loading, group join, on a busy machine. */
  static final Duration CHILD_START = Duration.ofSeconds(90);

  private Agents() {}

  /**
   * An agent of {@code group} in the test JVM: 16 workers, a generous delivery timeout (in KrakenD's mode a timed-out
   * delivery is given up, which a scenario must not mistake for the fault it injects), the earliest offset for a new
   * group.
   */
  static AsyncAgent.Builder inJvm(String bootstrapServers, String topic, String group, BackendSink sink) {
    return AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(16)
        .timeout(Duration.ofSeconds(30))
        .driver(driver(bootstrapServers, Group.of(group)).build())
        .sink(sink);
  }

  static KafkaDriver.Builder driver(String bootstrapServers, Group group) {
    return KafkaDriver.builder()
        .cluster(Cluster.builder().brokers(bootstrapServers).build())
        .group(group)
        .startFrom(StartPosition.earliest());
  }

  /** The HTTP sink to {@code backend}, with each event's coordinates as headers (the ledger reads them). */
  static HttpBackend http(RecordingHttpBackend backend) {
    return HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").forwardCoordinates(true).build();
  }

  /**
   * A child JVM running {@link AgentMain} with {@code options} ({@code key=value}) besides the required ones. Its log
   * goes to stderr, at INFO for the agent, so its file holds every line it wrote.
   */
  static ChildAgent.Builder child(String name, String bootstrapServers, String topic, String group,
      RecordingHttpBackend backend, String... options) {
    List<String> args = new ArrayList<>(List.of("name=" + name, "bootstrap=" + bootstrapServers, "topic=" + topic,
        "group=" + group, "backend=" + backend.uri()));
    args.addAll(List.of(options));
    return ChildAgent.builder(name, AgentMain.class.getName())
        .jvmOptions("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.logFile=System.err",
            "-Dorg.slf4j.simpleLogger.log.io.asyncagent=info")
        .args(args.toArray(String[]::new));
  }
}
