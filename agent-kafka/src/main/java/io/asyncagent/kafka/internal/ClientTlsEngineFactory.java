package io.asyncagent.kafka.internal;

import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.ClientTls.TlsVersion;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Kafka's own TLS settings want key and trust stores in files (JKS, PKCS #12, or PEM with a password
 * for the key); KrakenD hands over PEM files with unencrypted keys, several CA files, Go's IANA numbers.
 * Rather than translate and write temporary stores, the driver plugs this factory in through
 * ssl.engine.factory.class. Kafka instantiates it by class and calls configure() with the client's
 * original configuration entries, unknown keys included, so the ClientTls itself travels under
 * CLIENT_TLS_CONFIG. Only client engines are made.
 */
/** The {@link SslEngineFactory} the driver gives kafka-clients for a {@link ClientTls}. */
public final class ClientTlsEngineFactory implements SslEngineFactory {
  /** The client configuration key under which the driver passes the {@link ClientTls}. */
  public static final String CLIENT_TLS_CONFIG = "asyncagent.client.tls";

  private static final Logger log = LoggerFactory.getLogger(ClientTlsEngineFactory.class);
  private static final Method SET_NAMED_GROUPS = setNamedGroups();
  private static final AtomicBoolean namedGroupsNoticeLogged = new AtomicBoolean();

  private ClientTls tls;
  private ClientTlsContext context;
  private String[] protocols;
  private String[] cipherSuites;
  private String[] namedGroups;

  /** Called by kafka-clients, which instantiates the factory by class; {@link #configure} follows. */
  public ClientTlsEngineFactory() {}

  /**
   * Reads the PEM files of the {@link ClientTls} found under {@link #CLIENT_TLS_CONFIG}.
   *
   * @throws ConfigException if it is missing or a file no longer serves
   */
  @Override
  public void configure(Map<String, ?> configs) {
    Object value = configs.get(CLIENT_TLS_CONFIG);
    if (!(value instanceof ClientTls)) {
      throw new ConfigException(CLIENT_TLS_CONFIG, value, "must hold the agent's ClientTls");
    }
    tls = (ClientTls) value;
    try {
      context = ClientTlsContext.create(tls);
    } catch (PemFiles.BadFile e) {
      throw new ConfigException("clientTls: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ConfigException("clientTls: the JDK cannot set up TLS with these settings: " + e);
    }
    protocols = protocols(tls.minVersion(), tls.maxVersion());
    cipherSuites = cipherSuites(tls);
    namedGroups = tls.curvePreferences().stream()
        .map(id -> TlsNames.namedGroup(id).orElseThrow()).toArray(String[]::new);
    if (namedGroups.length > 0 && SET_NAMED_GROUPS == null && namedGroupsNoticeLogged.compareAndSet(false, true)) {
      log.info("clientTls.curvePreferences {} cannot be set per connection on Java {}; the JVM-wide system property"
          + " jdk.tls.namedGroups decides the key-exchange groups", tls.curvePreferences(),
          Runtime.version().feature());
    }
  }

  @Override
  public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
    SSLEngine engine = context.sslContext.createSSLEngine(peerHost, peerPort);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(protocols);
    if (cipherSuites.length > 0) {
      parameters.setCipherSuites(cipherSuites);
    }
    // Kafka's ssl.endpoint.identification.algorithm is set to match, but the ClientTls decides.
    parameters.setEndpointIdentificationAlgorithm(tls.allowInsecureConnections() ? null : "HTTPS");
    if (namedGroups.length > 0 && SET_NAMED_GROUPS != null) {
      try {
        SET_NAMED_GROUPS.invoke(parameters, (Object) namedGroups);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot set the key-exchange groups " + List.of(namedGroups), e);
      }
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** Not supported: the agent's TLS settings are a client's. */
  @Override
  public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
    throw new UnsupportedOperationException("the agent's TLS settings make client engines only");
  }

  @Override
  public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
    return !tls.equals(nextConfigs.get(CLIENT_TLS_CONFIG));
  }

  @Override
  public Set<String> reconfigurableConfigs() {
    return Set.of();
  }

  /** Returns the in-memory store of the client certificates, or null without any. */
  @Override
  public KeyStore keystore() {
    return context.keystore.orElse(null);
  }

  /** Returns the in-memory store of the trusted CAs. */
  @Override
  public KeyStore truststore() {
    return context.truststore;
  }

  @Override
  public void close() {}

  /** Returns the JDK's names of the versions from {@code min} to {@code max}. */
  static String[] protocols(TlsVersion min, TlsVersion max) {
    return EnumSet.range(min, max).stream().map(TlsVersion::javaName).toArray(String[]::new);
  }

  /**
   * Returns the JDK's names of the configured suites, plus every TLS 1.3 suite when TLS 1.3 may be spoken and
   * none was listed: in Go, whose numbers these are, TLS 1.3 suites cannot be configured at all.
   */
  static String[] cipherSuites(ClientTls tls) {
    List<String> names = new ArrayList<>();
    tls.cipherSuites().forEach(id -> names.add(TlsNames.cipherSuite(id).orElseThrow()));
    if (!names.isEmpty() && tls.maxVersion() == TlsVersion.TLS13
        && tls.cipherSuites().stream().noneMatch(TlsNames::isTls13Suite)) {
      names.addAll(0, TlsNames.tls13Suites());
    }
    return names.toArray(new String[0]);
  }

  /** {@code SSLParameters.setNamedGroups(String[])}, new in Java 20; null before. */
  private static Method setNamedGroups() {
    try {
      return SSLParameters.class.getMethod("setNamedGroups", String[].class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
