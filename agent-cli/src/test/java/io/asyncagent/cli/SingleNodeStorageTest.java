package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SingleNodeStorageTest {

  @TempDir
  Path directory;

  @Test
  void formatWritesTheNodeMetadataIntoTheLogDirectory() {
    Properties properties = SingleNodeStorage.serverProperties(directory, 19092, 19093, Duration.ofSeconds(60));

    SingleNodeStorage.format(directory, properties);

    assertThat(directory.resolve("server.properties")).isRegularFile();
    assertThat(directory.resolve("data/meta.properties")).isRegularFile();
    assertThat(directory.resolve("data/bootstrap.checkpoint")).isRegularFile();
  }

  @Test
  void formatRefusesADirectoryAlreadyFormattedForAnotherClusterAndSaysWhy() {
    Properties properties = SingleNodeStorage.serverProperties(directory, 19092, 19093, Duration.ofSeconds(60));
    SingleNodeStorage.format(directory, properties);

    // Every format picks a new random cluster id, so the second one meets the first one's metadata.
    assertThatThrownBy(() -> SingleNodeStorage.format(directory, properties))
        .isInstanceOf(KafkaException.class)
        .hasMessageMatching("Formatting Kafka storage in " + Pattern.quote(directory.toString())
            + " failed: Invalid cluster\\.id in: " + Pattern.quote(directory.resolve("data/meta.properties").toString())
            + "\\. Expected [\\w-]{22}, but read [\\w-]{22}");
  }

  @Test
  void serverPropertiesDescribeOneCombinedNodeOnLoopback() {
    Properties properties = SingleNodeStorage.serverProperties(directory, 19092, 19093, Duration.ofSeconds(60));

    assertThat(properties)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
        .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:19093")
        .containsEntry("log.dirs", directory.resolve("data").toString())
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("server.max.startup.time.ms", "60000");
  }
}
