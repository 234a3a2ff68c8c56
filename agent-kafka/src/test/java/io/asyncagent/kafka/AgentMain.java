package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncagent.AsyncAgent;
import io.asyncagent.Ordering;
import io.asyncagent.http.HttpBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * An agent alone in a JVM, for tests that start it as a child process and kill it: Kafka topic → agent →
 * HTTP backend, with the coordinates of each event as headers.
 *
 * <p>Arguments: bootstrap servers, topic, group id, backend URL (such as {@code http://127.0.0.1:41234}).
 * The agent is named after the group, starts from the earliest offset when its group has not committed, and
 * commits every 200 ms. Once it is running it prints {@code RUNNING} on stdout; it then runs until stdin
 * reads a line {@code STOP} or ends, closes the agent (which drains and commits) and returns.
 */
public final class AgentMain {
  /** The line printed on stdout once the agent is running. */
  static final String RUNNING = "RUNNING";
  /** The line that, read on stdin, closes the agent. */
  static final String STOP = "STOP";

  private AgentMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: AgentMain <bootstrap servers> <topic> <group id> <backend URL>, but got " + args.length
              + " argument(s)");
    }
    String bootstrapServers = args[0];
    String topic = args[1];
    String group = args[2];
    String backendUrl = args[3];
    AsyncAgent agent = AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(16)
        .ordering(Ordering.UNORDERED)
        .timeout(Duration.ofSeconds(30))
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(bootstrapServers).build())
            .group(Group.builder().id(group).build())
            .startFrom(StartPosition.earliest())
            .commitInterval(Duration.ofMillis(200))
            .build())
        .sink(HttpBackend.builder().host(backendUrl).urlPattern("/events").forwardCoordinates(true).build())
        .build();
    try {
      agent.start();
      System.out.println(RUNNING);
      System.out.flush();
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, UTF_8));
      for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
        if (line.strip().equals(STOP)) {
          break;
        }
      }
    } finally {
      agent.close();
    }
  }
}
