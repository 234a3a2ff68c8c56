package io.asyncagent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An agent of the krakend.json files of the tests of {@code run}: it reads a topic from the earliest offset and
 * posts each event to {@code /events} of an HTTP backend. Immutable; each setter returns a copy.
 */
final class KrakendJson {
  private final String name;
  private final String topic;
  private final String brokers;
  private final String group;
  private final String backendHost;
  private final String startTimeout;
  private final String connection;

  private KrakendJson(String name, String topic, String brokers, String group, String backendHost,
      String startTimeout, String connection) {
    this.name = name;
    this.topic = topic;
    this.brokers = brokers;
    this.group = group;
    this.backendHost = backendHost;
    this.startTimeout = startTimeout;
    this.connection = connection;
  }

  /** An agent called {@code name} reading {@code topic} as {@code group} of {@code brokers}, for {@code backendHost}. */
  static KrakendJson agent(String name, String topic, String brokers, String group, String backendHost) {
    return new KrakendJson(name, topic, brokers, group, backendHost, "30s", "{}");
  }

  /** Sets {@code extra_config.asyncagent.start_timeout}, in Go's notation; default 30s. */
  KrakendJson startTimeout(String startTimeout) {
    return new KrakendJson(name, topic, brokers, group, backendHost, startTimeout, connection);
  }

  /** Sets the {@code connection} object, as JSON; default {@code {}}. */
  KrakendJson connection(String connection) {
    return new KrakendJson(name, topic, brokers, group, backendHost, startTimeout, connection);
  }

  /** Writes a file of this one agent as {@code krakend.json} in {@code directory} and returns its path. */
  Path writeTo(Path directory) {
    return write(directory, this);
  }

  /** Writes a file of {@code agents}, in that order, as {@code krakend.json} in {@code directory}. */
  static Path write(Path directory, KrakendJson... agents) {
    String json = Arrays.stream(agents).map(KrakendJson::entry)
        .collect(Collectors.joining(",\n", "{\n  \"version\": 3,\n  \"async_agent\": [\n", "\n  ]\n}\n"));
    try {
      return Files.writeString(directory.resolve("krakend.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String entry() {
    return """
            {
              "name": "%s",
              "connection": %s,
              "consumer": {"topic": "%s", "workers": 4},
              "backend": [{"host": ["%s"], "url_pattern": "/events", "method": "POST"}],
              "extra_config": {
                "async/kafka": {
                  "cluster": {"brokers": ["%s"]},
                  "group": {"id": "%s"},
                  "start_from": "earliest"
                },
                "asyncagent": {"start_timeout": "%s"}
              }
            }""".formatted(name, connection, topic, backendHost, brokers, group, startTimeout);
  }
}
