package io.asyncagent.kafka.internal;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.ClientTls.ClientCert;
import io.asyncagent.kafka.ClientTls.TlsVersion;
import io.asyncagent.kafka.Sasl;
import io.asyncagent.spi.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads KrakenD's {@code cluster.sasl} and {@code cluster.client_tls} blocks into a {@link Sasl} and a
 * {@link ClientTls}. Every field goes through the builder setter that checks it, and the builder's
 * cross-field problems are reported under the JSON names, so a file and a program get the same rules.
 *
 * <p>Empty strings in {@code auth_identity}, {@code scram_auth_id} and {@code scope} count as absent, as
 * Go's zero values do. A relative PEM path is resolved against the working directory, as KrakenD does,
 * and reported in full.
 */
public final class SecurityConfigReader {
  static final List<String> SASL_FIELDS = List.of("auth_identity", "azure_event_hub", "disable_handshake",
      "disable_hanshake", "mechanism", "password", "scope", "scram_auth_id", "token_url", "user");
  static final List<String> CLIENT_TLS_FIELDS = List.of("allow_insecure_connections", "ca_certs", "cipher_suites",
      "client_certs", "curve_preferences", "disable_system_ca_pool", "max_version", "min_version");
  static final List<String> CLIENT_CERT_FIELDS = List.of("certificate", "private_key");

  /** Builder names in violations and messages, by JSON name; longest first, so that none is a prefix of a later one. */
  private static final Map<String, String> JSON_NAMES = jsonNames();

  private SecurityConfigReader() {}

  /**
   * Reads {@code cluster.sasl}: {@code mechanism} (default PLAIN), {@code user}, {@code password},
   * {@code auth_identity}, {@code scram_auth_id}, {@code azure_event_hub}, {@code disable_handshake} (or
   * the documentation's {@code disable_hanshake}), and our {@code token_url} and {@code scope} for
   * OAUTHBEARER. Returns empty when it reported a problem.
   */
  public static Optional<Sasl> sasl(ConfigNode node) {
    int before = node.problemCount();
    node.rejectUnknown(SASL_FIELDS);
    Sasl.Builder sasl = Sasl.builder();
    node.convert("mechanism", node.string("mechanism"), Sasl.Mechanism::fromKrakendName).ifPresent(sasl::mechanism);
    node.apply("user", node.string("user"), sasl::user);
    node.apply("password", password(node), sasl::password);
    node.apply("auth_identity", nonEmpty(node, "auth_identity"), sasl::authIdentity);
    node.apply("scram_auth_id", nonEmpty(node, "scram_auth_id"), sasl::scramAuthId);
    node.apply("azure_event_hub", node.bool("azure_event_hub"), sasl::azureEventHub);
    // The schema's name is disable_hanshake, misspelt; its value is sarama's Handshake, whatever the name says.
    node.spelling("disable_handshake", "disable_hanshake")
        .ifPresent(field -> node.apply(field, node.bool(field), sasl::handshake));
    node.convert("token_url", node.string("token_url"), SecurityConfigReader::uri).ifPresent(
        uri -> node.apply("token_url", Optional.of(uri), sasl::tokenEndpoint));
    node.apply("scope", nonEmpty(node, "scope"), sasl::scope);
    if (node.problemCount() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(sasl.build());
    } catch (InvalidConfigException e) {
      report(node, List.of(), e);
      return Optional.empty();
    }
  }

  /**
   * Reads {@code cluster.client_tls}: {@code allow_insecure_connections}, {@code ca_certs},
   * {@code client_certs} ({@code [{certificate, private_key}]}), {@code disable_system_ca_pool},
   * {@code min_version}, {@code max_version}, {@code cipher_suites} and {@code curve_preferences}. Returns
   * empty when it reported a problem.
   */
  public static Optional<ClientTls> clientTls(ConfigNode node) {
    int before = node.problemCount();
    node.rejectUnknown(CLIENT_TLS_FIELDS);
    ClientTls.Builder tls = ClientTls.builder();
    node.apply("allow_insecure_connections", node.bool("allow_insecure_connections"), tls::allowInsecureConnections);
    node.apply("disable_system_ca_pool", node.bool("disable_system_ca_pool"), tls::disableSystemCaPool);
    node.convert("ca_certs", node.strings("ca_certs"), SecurityConfigReader::paths).ifPresent(tls::caCerts);
    List<ConfigNode> certNodes = node.objects("client_certs").orElse(List.of());
    clientCerts(certNodes).ifPresent(tls::clientCerts);
    node.convert("min_version", node.string("min_version"), TlsVersion::fromKrakendName)
        .ifPresent(version -> node.apply("min_version", Optional.of(version), tls::minVersion));
    node.convert("max_version", node.string("max_version"), TlsVersion::fromKrakendName)
        .ifPresent(version -> node.apply("max_version", Optional.of(version), tls::maxVersion));
    node.apply("cipher_suites", node.integers("cipher_suites"), tls::cipherSuites);
    node.apply("curve_preferences", node.integers("curve_preferences"), tls::curvePreferences);
    if (node.problemCount() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(tls.build());
    } catch (InvalidConfigException e) {
      report(node, certNodes, e);
      return Optional.empty();
    }
  }

  private static Optional<List<ClientCert>> clientCerts(List<ConfigNode> entries) {
    List<ClientCert> clientCerts = new ArrayList<>();
    boolean complete = true;
    for (ConfigNode entry : entries) {
      entry.rejectUnknown(CLIENT_CERT_FIELDS);
      Optional<Path> certificate = requiredPath(entry, "certificate");
      Optional<Path> privateKey = requiredPath(entry, "private_key");
      if (certificate.isPresent() && privateKey.isPresent()) {
        clientCerts.add(new ClientCert(certificate.get(), privateKey.get()));
      } else {
        complete = false;
      }
    }
    return complete ? Optional.of(clientCerts) : Optional.empty();
  }

  private static Optional<Path> requiredPath(ConfigNode entry, String key) {
    if (!entry.has(key)) {
      entry.report(key, "is required");
      return Optional.empty();
    }
    return entry.convert(key, entry.string(key), SecurityConfigReader::path);
  }

  /** Reads the password without ever printing it, not even when it has the wrong type. */
  private static Optional<String> password(ConfigNode node) {
    Optional<Object> raw = node.raw("password");
    if (node.has("password") && !(raw.orElse(null) instanceof String)) {
      node.report("password", "must be a string, but was " + (raw.isEmpty() ? "null" : "another type"));
      return Optional.empty();
    }
    return raw.map(String.class::cast);
  }

  private static Optional<String> nonEmpty(ConfigNode node, String key) {
    return node.string(key).filter(value -> !value.isEmpty());
  }

  private static URI uri(String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("token_url must be an absolute http or https URL, but was '" + value + "'");
    }
  }

  private static List<Path> paths(List<String> values) {
    List<Path> paths = new ArrayList<>();
    for (String value : values) {
      paths.add(path(value));
    }
    return paths;
  }

  /** Resolves a file name against the working directory, as KrakenD does. */
  private static Path path(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("file must name a PEM file, but was '" + value + "'");
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("file must name a PEM file, but was '" + value + "': " + e.getReason());
    }
  }

  /**
   * Reports a builder's cross-field violations under the JSON names: {@code clientTls.clientCerts[0].privateKey}
   * on the entry's node, an element of an array of scalars ({@code clientTls.caCerts[1]}) on the array with its
   * index first in the message. Messages about elements name files, which are left as they are.
   */
  private static void report(ConfigNode node, List<ConfigNode> certNodes, InvalidConfigException e) {
    for (Violation violation : e.violations()) {
      String path = json(violation.path().substring(violation.path().indexOf('.') + 1));
      int bracket = path.indexOf('[');
      if (bracket < 0) {
        node.report(path, json(violation.message()));
        continue;
      }
      int close = path.indexOf(']', bracket);
      String array = path.substring(0, bracket);
      String index = path.substring(bracket, close + 1);
      if (array.equals("client_certs") && close + 1 < path.length()) {
        certNodes.get(Integer.parseInt(path.substring(bracket + 1, close)))
            .report(path.substring(close + 2), violation.message());
      } else {
        node.report(array, index + " " + violation.message());
      }
    }
  }

  private static String json(String text) {
    String result = text;
    for (Map.Entry<String, String> name : JSON_NAMES.entrySet()) {
      result = result.replace(name.getKey(), name.getValue());
    }
    return result;
  }

  private static Map<String, String> jsonNames() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("allowInsecureConnections", "allow_insecure_connections");
    names.put("disableSystemCaPool", "disable_system_ca_pool");
    names.put("curvePreferences", "curve_preferences");
    names.put("cipherSuites", "cipher_suites");
    names.put("clientCerts", "client_certs");
    names.put("scramAuthId", "scram_auth_id");
    names.put("authIdentity", "auth_identity");
    names.put("tokenEndpoint", "token_url");
    names.put("privateKey", "private_key");
    names.put("minVersion", "min_version");
    names.put("maxVersion", "max_version");
    names.put("caCerts", "ca_certs");
    return names;
  }
}
