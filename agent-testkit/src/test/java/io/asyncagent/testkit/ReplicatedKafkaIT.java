package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three brokers and one controller, each broker behind a proxy that a client reaches it through. */
class ReplicatedKafkaIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ReplicatedKafka cluster;

  @BeforeAll
  static void startTheCluster() {
    cluster = ReplicatedKafka.start();
  }

  @AfterAll
  static void stopTheCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aClientBootstrappingThroughTheProxiesLearnsOnlyProxyAddresses() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        cluster.proxiedBootstrapServers()))) {
      List<String> nodes = admin.describeCluster().nodes().get().stream().map(n -> n.host() + ":" + n.port())
          .sorted().toList();

      assertThat(nodes).containsExactlyElementsOf(
          cluster.proxies().stream().map(TcpProxy::address).sorted().toList());
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).extracting(Node::host).containsOnly("localhost");
    }
  }

  @Test
  void aTopicIsReplicatedOnEveryBrokerAndALeaderStoppedMovesItsLeadershipToAnotherInSyncReplica() {
    String topic = EmbeddedKafka.uniqueTopic("replicated");
    cluster.createTopic(topic, 3);
    assertThat(cluster.inSyncReplicasOf(topic, 0)).containsExactly(0, 1, 2);
    OptionalInt leader = cluster.leaderOf(topic, 0);
    assertThat(leader).isPresent();
    int stopped = leader.getAsInt();

    cluster.stopBroker(stopped);
    try {
      Await.until(WAIT, () -> cluster.leaderOf(topic, 0).isPresent()
          && cluster.leaderOf(topic, 0).getAsInt() != stopped, "a new leader of partition 0");
      assertThat(cluster.inSyncReplicasOf(topic, 0)).hasSize(2).doesNotContain(stopped);
      // min.insync.replicas=2: acks=all writes go on with one broker down.
      assertThat(cluster.kafka().produce(NumberedRecords.forTopic(topic).count(100).records())).isEqualTo(100);
    } finally {
      cluster.startBroker(stopped);
    }
    cluster.awaitFullyReplicated(topic);
    assertThat(cluster.inSyncReplicasOf(topic, 0)).containsExactly(0, 1, 2);
  }

  @Test
  void aConsumerBehindBlackHoledProxiesReceivesNothingUntilTheyPassAgain() {
    String topic = EmbeddedKafka.uniqueTopic("proxied");
    String group = EmbeddedKafka.uniqueGroup("proxied");
    cluster.createTopic(topic, 3);
    NumberedRecords first = NumberedRecords.forTopic(topic).count(300);
    NumberedRecords second = NumberedRecords.forTopic(topic).startAt(300).count(300);
    Set<String> received = new HashSet<>();
    Map<String, Object> config = cluster.kafka().consumerConfig(group);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.proxiedBootstrapServers());
    long forwardedBefore = cluster.proxies().stream().mapToLong(TcpProxy::bytesForwarded).sum();

    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      cluster.kafka().produce(first.records());
      Await.until(WAIT, () -> poll(consumer, received) >= 300, () -> "300 records, got " + received.size());
      assertThat(cluster.proxies().stream().mapToLong(TcpProxy::bytesForwarded).sum()).isGreaterThan(forwardedBefore);

      cluster.proxies().forEach(TcpProxy::blackHole);
      cluster.kafka().produce(second.records());
      long forwardedInTheHole = cluster.proxies().stream().mapToLong(TcpProxy::bytesForwarded).sum();
      long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      Await.until(WAIT, () -> poll(consumer, received) < 0 || System.nanoTime() - until > 0, "2 s of polling");
      assertThat(received).hasSize(300);
      assertThat(cluster.proxies().stream().mapToLong(TcpProxy::bytesForwarded).sum()).isEqualTo(forwardedInTheHole);

      cluster.proxies().forEach(TcpProxy::pass);
      Await.until(WAIT, () -> poll(consumer, received) >= 600, () -> "600 records, got " + received.size());
    } finally {
      cluster.proxies().forEach(TcpProxy::pass);
    }
    Set<String> expected = new HashSet<>(first.values());
    expected.addAll(second.values());
    assertThat(received).isEqualTo(expected);
  }

  private static int poll(KafkaConsumer<byte[], byte[]> consumer, Set<String> received) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
      received.add(new String(record.value(), UTF_8));
    }
    return received.size();
  }
}
