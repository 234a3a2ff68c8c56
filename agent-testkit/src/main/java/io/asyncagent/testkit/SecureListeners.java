package io.asyncagent.testkit;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The listeners {@link EmbeddedKafka} adds next to the kit's plain one: {@code SASL_PLAINTEXT} for SASL users (PLAIN,
 * SCRAM, OAUTHBEARER), {@code SSL} for a server certificate (optionally requiring client certificates), and {@code
 * SASL_SSL} when there are both. Each is a broker setting on the one combined node, on port 0; the kit keeps its own
 * PLAINTEXT listener as the inter-broker one, so its admin client and producer never authenticate.
 */
final class SecureListeners {
  static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
  static final String SSL = "SSL";
  static final String SASL_SSL = "SASL_SSL";

  /** SCRAM's minimum; more only slows every test login down. */
  private static final int SCRAM_ITERATIONS = 4096;

  private final Map<String, String> plainUsers;
  private final Map<String, String> scramUsers;
  private final TestCertificates certificates;
  private final boolean requireClientCertificates;
  private final TestOAuthServer oauth;

  SecureListeners(Map<String, String> plainUsers, Map<String, String> scramUsers, TestCertificates certificates,
      boolean requireClientCertificates, TestOAuthServer oauth) {
    this.plainUsers = Map.copyOf(plainUsers);
    this.scramUsers = Map.copyOf(scramUsers);
    this.certificates = certificates;
    this.requireClientCertificates = requireClientCertificates;
    this.oauth = oauth;
  }

  static SecureListeners none() {
    return new SecureListeners(Map.of(), Map.of(), null, false, null);
  }

  boolean hasSasl() {
    return !plainUsers.isEmpty() || !scramUsers.isEmpty() || oauth != null;
  }

  boolean hasSsl() {
    return certificates != null;
  }

  /** The builder call that asked for the first of these listeners, for messages; empty without any. */
  Optional<String> firstFeature() {
    if (!plainUsers.isEmpty()) {
      return Optional.of("saslPlainUser(user, password)");
    }
    if (!scramUsers.isEmpty()) {
      return Optional.of("saslScramUser(user, password)");
    }
    if (oauth != null) {
      return Optional.of("oauthBearer(server)");
    }
    if (certificates != null) {
      return Optional.of(requireClientCertificates ? "mutualTls(certificates)" : "ssl(certificates)");
    }
    return Optional.empty();
  }

  /** The names, and security protocols, of the listeners added, in the order they are added. */
  List<String> listeners() {
    List<String> listeners = new ArrayList<>();
    if (hasSasl()) {
      listeners.add(SASL_PLAINTEXT);
    }
    if (hasSsl()) {
      listeners.add(SSL);
    }
    if (hasSasl() && hasSsl()) {
      listeners.add(SASL_SSL);
    }
    return listeners;
  }

  /**
   * Returns {@code properties} plus the listeners on port 0 and their security settings.
   *
   * <p>The kit fills in {@code listeners} and {@code listener.security.protocol.map} only when they are absent, and
   * Kafka's built-in protocol map is not used once the kit has set its own; so both are set here, extending the user's
   * values if there are any, else the kit's.
   *
   * @throws IllegalStateException if {@code properties} sets a JAAS line or key store this writes
   */
  Map<String, String> brokerProperties(Map<String, String> properties, String brokerListener, String brokerProtocol,
      String controllerListener, String controllerProtocol) {
    Map<String, String> result = new LinkedHashMap<>(properties);
    if (listeners().isEmpty()) {
      return result;
    }
    String listeners = properties.getOrDefault("listeners",
        brokerListener + "://localhost:0," + controllerListener + "://localhost:0");
    String protocols = properties.getOrDefault("listener.security.protocol.map",
        brokerListener + ":" + brokerProtocol + "," + controllerListener + ":" + controllerProtocol);
    String advertised = properties.get("advertised.listeners");
    for (String listener : listeners()) {
      listeners = appendIfAbsent(listeners, listener + "://localhost:0", "://");
      protocols = appendIfAbsent(protocols, listener + ":" + listener, ":");
      if (advertised != null) {
        advertised = appendIfAbsent(advertised, listener + "://localhost:0", "://");
      }
    }
    result.put("listeners", listeners);
    if (advertised != null) {
      result.put("advertised.listeners", advertised);
    }
    result.put("listener.security.protocol.map", protocols);
    if (hasSasl()) {
      String mechanisms = properties.getOrDefault("sasl.enabled.mechanisms", "");
      for (String mechanism : mechanisms()) {
        mechanisms = appendIfAbsent(mechanisms, mechanism, ",");
      }
      result.put("sasl.enabled.mechanisms", mechanisms);
      putSasl(result, properties, SASL_PLAINTEXT);
      if (hasSsl()) {
        putSasl(result, properties, SASL_SSL);
      }
      if (oauth != null) {
        result.put("sasl.oauthbearer.jwks.endpoint.url", oauth.jwksEndpoint().toString());
      }
    }
    if (hasSsl()) {
      putKeyStore(result, properties, SSL);
      if (requireClientCertificates) {
        String prefix = prefix(SSL);
        result.put(prefix + "ssl.client.auth", "required");
        result.put(prefix + "ssl.truststore.type", "PKCS12");
        result.put(prefix + "ssl.truststore.location", certificates.trustStore().toString());
        result.put(prefix + "ssl.truststore.password", certificates.storePassword());
      }
      if (hasSasl()) {
        putKeyStore(result, properties, SASL_SSL);
      }
    }
    return result;
  }

  private List<String> mechanisms() {
    List<String> mechanisms = new ArrayList<>();
    if (!plainUsers.isEmpty()) {
      mechanisms.add("PLAIN");
    }
    if (!scramUsers.isEmpty()) {
      mechanisms.add("SCRAM-SHA-256");
      mechanisms.add("SCRAM-SHA-512");
    }
    if (oauth != null) {
      mechanisms.add("OAUTHBEARER");
    }
    return mechanisms;
  }

  private void putSasl(Map<String, String> result, Map<String, String> given, String listener) {
    String prefix = prefix(listener);
    if (!plainUsers.isEmpty()) {
      StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      plainUsers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(user -> jaas.append(" user_")
          .append(user.getKey()).append("=\"").append(jaasEscape(user.getValue())).append('"'));
      put(result, given, prefix + "plain.sasl.jaas.config", jaas.append(';').toString(),
          "saslPlainUser(user, password)");
    }
    if (!scramUsers.isEmpty()) {
      for (String mechanism : List.of("scram-sha-256", "scram-sha-512")) {
        put(result, given, prefix + mechanism + ".sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;", "saslScramUser(user, password)");
      }
    }
    if (oauth != null) {
      put(result, given, prefix + "oauthbearer.sasl.jaas.config",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;", "oauthBearer(server)");
      put(result, given, prefix + "oauthbearer.sasl.server.callback.handler.class",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler", "oauthBearer(server)");
    }
  }

  private void putKeyStore(Map<String, String> result, Map<String, String> given, String listener) {
    String prefix = prefix(listener);
    String feature = requireClientCertificates ? "mutualTls(certificates)" : "ssl(certificates)";
    put(result, given, prefix + "ssl.keystore.location", certificates.serverKeyStore().toString(), feature);
    result.put(prefix + "ssl.keystore.type", "PKCS12");
    result.put(prefix + "ssl.keystore.password", certificates.storePassword());
    result.put(prefix + "ssl.key.password", certificates.storePassword());
  }

  private static void put(Map<String, String> result, Map<String, String> given, String key, String value,
      String feature) {
    if (given.containsKey(key)) {
      throw new IllegalStateException("broker property '" + key + "' conflicts with " + feature + ", which sets it");
    }
    result.put(key, value);
  }

  private static String prefix(String listener) {
    return "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
  }

  /** Returns {@code localhost:<port>} of each added listener of broker 0, by listener name. */
  Map<String, String> addresses(KafkaClusterTestKit cluster) {
    Map<String, String> addresses = new LinkedHashMap<>();
    for (String listener : listeners()) {
      addresses.put(listener,
          "localhost:" + cluster.brokers().get(0).boundPort(ListenerName.normalised(listener)));
    }
    return addresses;
  }

  /**
   * Creates the SCRAM users, SCRAM-SHA-256 and SCRAM-SHA-512 each, through {@code admin}, and waits until broker 0
   * can authenticate them: the controller accepts credentials before the broker has them.
   */
  void createScramUsers(Admin admin, KafkaClusterTestKit cluster, Duration timeout) {
    if (scramUsers.isEmpty()) {
      return;
    }
    // The broker refuses two alterations of one user in a request: one request per mechanism.
    for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
      List<UserScramCredentialAlteration> upserts = new ArrayList<>();
      scramUsers.forEach((user, password) -> upserts.add(
          new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, SCRAM_ITERATIONS), password)));
      new AdminCalls(admin, timeout).await(admin.alterUserScramCredentials(upserts).all(),
          "create the " + mechanism.mechanismName() + " users " + scramUsers.keySet());
    }
    awaitScramUsers(cluster, timeout);
  }

  /** Waits until broker 0 holds the credentials of every SCRAM user, such as after it restarted. */
  void awaitScramUsers(KafkaClusterTestKit cluster, Duration timeout) {
    if (scramUsers.isEmpty()) {
      return;
    }
    BrokerServer broker = cluster.brokers().get(0);
    Await.until(timeout, () -> scramUsers.keySet().stream().allMatch(user ->
            hasCredential(broker, "SCRAM-SHA-256", user) && hasCredential(broker, "SCRAM-SHA-512", user)),
        () -> "broker 0 to hold the SCRAM credentials of " + scramUsers.keySet());
  }

  /**
   * Whether the broker's credential cache, which SCRAM logins read, holds the user's credential. {@code
   * BrokerServer.credentialProvider()} returns a class of {@code kafka-server}, which the test kit depends on at
   * runtime scope only; so that class is reached reflectively, and the cache itself (in kafka-clients) directly.
   */
  private static boolean hasCredential(BrokerServer broker, String mechanism, String user) {
    try {
      Object provider = BrokerServer.class.getMethod("credentialProvider").invoke(broker);
      CredentialCache cache = (CredentialCache) provider.getClass().getField("credentialCache").get(provider);
      CredentialCache.Cache<ScramCredential> credentials = cache.cache(mechanism, ScramCredential.class);
      return credentials != null && credentials.get(user) != null;
    } catch (NoSuchMethodException | NoSuchFieldException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read the SCRAM credentials of the broker", e);
    }
  }

  /**
   * Appends {@code entry} to a comma-separated list unless the list has an entry with the same name, the part before
   * {@code nameEnd} (listener names compare ignoring case, as Kafka upper-cases them).
   */
  static String appendIfAbsent(String list, String entry, String nameEnd) {
    String name = nameOf(entry, nameEnd);
    for (String existing : list.split(",")) {
      if (!existing.isBlank() && nameOf(existing.trim(), nameEnd).equals(name)) {
        return list;
      }
    }
    return list.isBlank() ? entry : list + "," + entry;
  }

  private static String nameOf(String entry, String nameEnd) {
    int end = entry.indexOf(nameEnd);
    return (end < 0 ? entry : entry.substring(0, end)).toUpperCase(Locale.ROOT);
  }

  /** Escapes a value for a double-quoted JAAS option. */
  static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
  }
}
