package io.asyncagent.examples;

import io.asyncagent.AsyncAgent;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The README's example: an agent that consumes the {@code stocks} topic and POSTs every event to a billing
 * service, as the KrakenD configuration of the same agent would.
 *
 * <pre>
 * java -cp ... io.asyncagent.examples.QuickStart localhost:9092 http://billing:8080
 * </pre>
 */
public final class QuickStart {
  private QuickStart() {}

  /** Builds the agent; {@code brokers} is {@code host:port}, {@code billing} a URL such as {@code http://billing:8080}. */
  public static AsyncAgent stocksAgent(String brokers, String billing) {
    // tag::build[]
    AsyncAgent agent = AsyncAgent.builder()
        .name("stocks")
        .topics("stocks")                         // consumer.topic
        .workers(20)                              // consumer.workers
        .timeout(Duration.ofMillis(1500))         // consumer.timeout
        .driver(KafkaDriver.builder()             // extra_config."async/kafka"
            .cluster(Cluster.builder().brokers(brokers).clientId("cid_stocks").build())
            .group(Group.builder().id("my_group_id").build())
            .keyMeta("Message-Id")
            .build())
        .sink(HttpBackend.builder()               // backend[0]
            .host(billing)
            .urlPattern("/events")
            .build())
        .build();
    // end::build[]
    return agent;
  }

  /** Runs the agent until the JVM is asked to stop (Ctrl-C, SIGTERM), then drains and commits. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: QuickStart <brokers host:port> <backend URL>");
      System.exit(2);
    }
    AsyncAgent agent = stocksAgent(args[0], args[1]);
    CountDownLatch stopped = new CountDownLatch(1);
    // tag::run[]
    agent.start();                                // returns once consuming: later events are delivered
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();                              // stop reading, drain in-flight events, commit
      stopped.countDown();
    }));
    // end::run[]
    stopped.await();
  }
}
