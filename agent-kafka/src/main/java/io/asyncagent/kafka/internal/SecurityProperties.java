package io.asyncagent.kafka.internal;

import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Sasl;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a cluster's {@code sasl} and {@code client_tls} onto kafka-clients properties, the same for the
 * consumer and the dead-letter producer. The result holds secrets: never log it.
 *
 * <p>PLAIN and SCRAM use Kafka's login modules with the user and password in the JAAS line. OAUTHBEARER
 * uses Kafka's own OAuth client-credentials login ({@code OAuthBearerLoginCallbackHandler}) with the
 * client id, secret and scope in the {@code sasl.oauthbearer.*} properties of Kafka 4.1, not in the JAAS
 * line, where 4.1 logs them as deprecated. TLS goes through {@link ClientTlsEngineFactory}.
 */
public final class SecurityProperties {
  /** The JVM-wide allow-list of OAuth URLs that kafka-clients 4 checks (empty: none allowed). */
  static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
  static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
  static final String OAUTH_LOGIN = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";
  static final String OAUTH_CALLBACK_HANDLER =
      "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

  private static final Logger log = LoggerFactory.getLogger(SecurityProperties.class);
  private static final Object ALLOWED_URLS_LOCK = new Object();

  private SecurityProperties() {}

  /** Puts {@code security.protocol} and the SASL and TLS properties of {@code cluster} into {@code props}. */
  public static void put(Map<String, Object> props, Cluster cluster) {
    boolean tls = cluster.clientTls().isPresent();
    boolean sasl = cluster.sasl().isPresent();
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT"));
    cluster.sasl().ifPresent(s -> putSasl(props, s));
    cluster.clientTls().ifPresent(t -> putTls(props, t));
  }

  private static void putSasl(Map<String, Object> props, Sasl sasl) {
    props.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism().kafkaName());
    switch (sasl.mechanism()) {
      case PLAIN:
        props.put(SaslConfigs.SASL_JAAS_CONFIG, credentialsLine(PLAIN_LOGIN, sasl));
        break;
      case SCRAM_SHA_256:
      case SCRAM_SHA_512:
        props.put(SaslConfigs.SASL_JAAS_CONFIG, credentialsLine(SCRAM_LOGIN, sasl));
        break;
      case OAUTHBEARER:
        putOauthBearer(props, sasl);
        break;
      default:
        throw new AssertionError(sasl.mechanism());
    }
  }

  private static String credentialsLine(String loginModule, Sasl sasl) {
    return loginModule + " required username=\"" + jaasEscape(sasl.user()) + "\" password=\""
        + jaasEscape(sasl.password().reveal()) + "\";";
  }

  private static void putOauthBearer(Map<String, Object> props, Sasl sasl) {
    String tokenEndpoint = sasl.tokenEndpoint().orElseThrow().toString();
    allowUrl(tokenEndpoint);
    props.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, OAUTH_CALLBACK_HANDLER);
    props.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, tokenEndpoint);
    props.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_ID, sasl.user());
    props.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET, new Password(sasl.password().reveal()));
    sasl.scope().ifPresent(scope -> props.put(SaslConfigs.SASL_OAUTHBEARER_SCOPE, scope));
    props.put(SaslConfigs.SASL_JAAS_CONFIG, OAUTH_LOGIN + " required;");
  }

  private static void putTls(Map<String, Object> props, ClientTls tls) {
    props.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, ClientTlsEngineFactory.class);
    props.put(ClientTlsEngineFactory.CLIENT_TLS_CONFIG, tls);
    // What the factory does anyway; set so that the logged client configuration tells the truth.
    props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, tls.allowInsecureConnections() ? "" : "https");
    props.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG,
        String.join(",", ClientTlsEngineFactory.protocols(tls.minVersion(), tls.maxVersion())));
    props.put(SslConfigs.SSL_PROTOCOL_CONFIG, tls.maxVersion().javaName());
    String[] cipherSuites = ClientTlsEngineFactory.cipherSuites(tls);
    if (cipherSuites.length > 0) {
      props.put(SslConfigs.SSL_CIPHER_SUITES_CONFIG, String.join(",", cipherSuites));
    }
  }

  /**
   * Adds {@code url} to the JVM's {@link #ALLOWED_URLS_PROPERTY} unless it is there: configuring a token
   * endpoint is taken as allowing it. Logged once per URL, at INFO, since it changes a JVM-wide setting.
   */
  static void allowUrl(String url) {
    synchronized (ALLOWED_URLS_LOCK) {
      String allowed = System.getProperty(ALLOWED_URLS_PROPERTY, "");
      boolean present = Arrays.stream(allowed.split(",")).map(String::trim).anyMatch(url::equals);
      if (!present) {
        System.setProperty(ALLOWED_URLS_PROPERTY, allowed.isBlank() ? url : allowed + "," + url);
        log.info("added the OAuth token endpoint {} to the system property {}, which kafka-clients checks it against",
            url, ALLOWED_URLS_PROPERTY);
      }
    }
  }

  /** Escapes a value for a double-quoted JAAS option (Kafka parses it with a {@code StreamTokenizer}). */
  static String jaasEscape(String value) {
    return value.chars().mapToObj(c -> {
      switch (c) {
        case '\\':
          return "\\\\";
        case '"':
          return "\\\"";
        case '\n':
          return "\\n";
        case '\r':
          return "\\r";
        default:
          return String.valueOf((char) c);
      }
    }).collect(Collectors.joining());
  }
}
