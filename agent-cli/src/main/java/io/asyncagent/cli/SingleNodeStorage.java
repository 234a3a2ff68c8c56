package io.asyncagent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import kafka.tools.StorageTool;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;

/**
 * The configuration of {@link DemoBroker}'s single combined KRaft node (broker and controller, node id 1) and the
 * formatting of its storage, which must happen before the server first starts.
 */
final class SingleNodeStorage {

  private SingleNodeStorage() {}

  /**
   * Returns the server properties of a node listening on 127.0.0.1, storing its log in {@code directory/data}.
   *
   * @param startupTimeout how long {@code KafkaRaftServer.startup()} may block before it gives up
   */
  static Properties serverProperties(Path directory, int brokerPort, int controllerPort, Duration startupTimeout) {
    Properties properties = new Properties();
    properties.setProperty("process.roles", "broker,controller");
    properties.setProperty("node.id", "1");
    properties.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    properties.setProperty("listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    properties.setProperty("controller.listener.names", "CONTROLLER");
    properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
    properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    properties.setProperty("log.dirs", directory.resolve("data").toString());
    properties.setProperty("num.partitions", "1");
    properties.setProperty("auto.create.topics.enable", "false");
    // One broker: the default replication factor 3 of the internal topics can never be met, and consumer groups
    // would then never get a coordinator.
    properties.setProperty("offsets.topic.replication.factor", "1");
    properties.setProperty("offsets.topic.num.partitions", "5");
    properties.setProperty("transaction.state.log.replication.factor", "1");
    properties.setProperty("transaction.state.log.min.isr", "1");
    properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
    properties.setProperty("share.coordinator.state.topic.min.isr", "1");
    // The default 3 s delay exists to batch joins of many members; the demo has one consumer.
    properties.setProperty("group.initial.rebalance.delay.ms", "0");
    // The default is unbounded; this makes server.startup() give up instead of hanging the demo.
    properties.setProperty("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));
    return properties;
  }

  /**
   * Writes {@code properties} to {@code directory/server.properties} and formats the node's storage with a new
   * cluster id. {@code --standalone} makes the node the only voter of a dynamic controller quorum, which is what
   * {@code controller.quorum.bootstrap.servers} expects.
   *
   * @throws KafkaException if the tool refuses, with its output in the message
   * @throws UncheckedIOException if the properties file cannot be written
   */
  static void format(Path directory, Properties properties) {
    Path propertiesFile = directory.resolve("server.properties");
    try {
      Files.createDirectories(directory);
      try (OutputStream out = Files.newOutputStream(propertiesFile)) {
        properties.store(out, "async-agent demo broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + propertiesFile, e);
    }
    // StorageTool prints progress to the given stream; the demo's stdout belongs to the demo, so capture it and
    // show it only when formatting fails.
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] arguments = {
        "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", propertiesFile.toString(), "--standalone"
    };
    int exitCode;
    try (PrintStream stream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      // execute, never main: main calls System.exit.
      exitCode = StorageTool.execute(arguments, stream);
    } catch (Exception e) {
      // Scala code throws checked exceptions (TerseException) without declaring them.
      throw new KafkaException("Formatting Kafka storage in " + directory + " failed: " + e.getMessage()
          + outputSuffix(output), e);
    }
    if (exitCode != 0) {
      throw new KafkaException("Formatting Kafka storage in " + directory + " failed with exit code " + exitCode
          + outputSuffix(output));
    }
  }

  private static String outputSuffix(ByteArrayOutputStream output) {
    String text = output.toString(StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "" : "; tool output: " + text;
  }
}
