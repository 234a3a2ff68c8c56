package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.kafka.internal.PemFiles;
import io.asyncagent.kafka.internal.TlsNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * TLS to the brokers (KrakenD's {@code cluster.client_tls}), with certificates and keys in PEM files as
 * KrakenD takes them. Present means the connection is encrypted ({@code security.protocol} {@code SSL},
 * or {@code SASL_SSL} with {@link Sasl}).
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.builder()
 *     .caCerts(List.of(Path.of("/etc/kafka/ca.pem")))
 *     .clientCert(Path.of("/etc/kafka/agent.pem"), Path.of("/etc/kafka/agent-key.pem"))
 *     .minVersion(ClientTls.TlsVersion.TLS12)
 *     .build();
 * }</pre>
 *
 * <p>By default the broker's certificate must chain to a CA the JDK trusts or to one of
 * {@link #caCerts()}, and name the host the client dialled (HTTPS-style host name verification, as Go
 * does). {@link Builder#build()} reads every file once, so that a missing or unreadable one fails the
 * configuration rather than the first connection; the driver reads them again whenever it connects.
 *
 * <p>Immutable, with value equality. Build one with {@link #builder()}; derive a variant with
 * {@link #toBuilder()}.
 */
public final class ClientTls {

  /** A TLS protocol version, by KrakenD's names. */
  public enum TlsVersion {
    /** SSL 3.0: KrakenD's {@code SSL3.0}; refused, the JDK no longer speaks it. */
    SSL30("SSL3.0", "SSLv3"),
    /** TLS 1.0: {@code TLS10}. */
    TLS10("TLS10", "TLSv1"),
    /** TLS 1.1: {@code TLS11}. */
    TLS11("TLS11", "TLSv1.1"),
    /** TLS 1.2: {@code TLS12}. */
    TLS12("TLS12", "TLSv1.2"),
    /** TLS 1.3: {@code TLS13}, KrakenD's default for both bounds. */
    TLS13("TLS13", "TLSv1.3");

    private final String krakendName;
    private final String javaName;

    TlsVersion(String krakendName, String javaName) {
      this.krakendName = krakendName;
      this.javaName = javaName;
    }

    /** {@return the name in a krakend.json, such as {@code TLS12}} */
    public String krakendName() {
      return krakendName;
    }

    /** {@return the JDK's protocol name, such as {@code TLSv1.2}} */
    public String javaName() {
      return javaName;
    }

    /**
     * Returns the version KrakenD's {@code min_version} or {@code max_version} names, ignoring case:
     * {@code SSL3.0}, {@code TLS10}, {@code TLS11}, {@code TLS12} or {@code TLS13}. (KrakenD itself reads
     * any other name as TLS 1.3 without a word; here it is an error.)
     *
     * @param name the KrakenD name
     * @return the version
     * @throws IllegalArgumentException naming the valid names, for any other
     * @throws NullPointerException if {@code name} is null
     */
    public static TlsVersion fromKrakendName(String name) {
      requireNonNull(name, "name");
      for (TlsVersion version : values()) {
        if (version.krakendName.equalsIgnoreCase(name)) {
          return version;
        }
      }
      throw new IllegalArgumentException("tlsVersion must be one of " + Arrays.stream(values())
          .map(TlsVersion::krakendName).collect(Collectors.joining(", ")) + ", but was '" + name + "'");
    }
  }

  /**
   * A client certificate chain and its private key (KrakenD's {@code client_certs[]} entry), both PEM files.
   *
   * @param certificate the PEM file of the certificate chain, leaf first
   * @param privateKey the PEM file of the unencrypted private key: PKCS#8, PKCS#1 (RSA) or SEC 1 (EC)
   */
  public record ClientCert(Path certificate, Path privateKey) {
    /**
     * Checks that both are present.
     *
     * @param certificate the PEM file of the certificate chain
     * @param privateKey the PEM file of the private key
     * @throws NullPointerException if either is null
     */
    public ClientCert {
      requireNonNull(certificate, "certificate");
      requireNonNull(privateKey, "privateKey");
    }
  }

  private final boolean allowInsecureConnections;
  private final List<Path> caCerts;
  private final boolean disableSystemCaPool;
  private final List<ClientCert> clientCerts;
  private final TlsVersion minVersion;
  private final TlsVersion maxVersion;
  private final List<Integer> cipherSuites;
  private final List<Integer> curvePreferences;

  private ClientTls(Builder builder) {
    this.allowInsecureConnections = builder.allowInsecureConnections;
    this.caCerts = List.copyOf(builder.caCerts);
    this.disableSystemCaPool = builder.disableSystemCaPool;
    this.clientCerts = List.copyOf(builder.clientCerts);
    this.minVersion = builder.minVersion;
    this.maxVersion = builder.maxVersion;
    this.cipherSuites = List.copyOf(builder.cipherSuites);
    this.curvePreferences = List.copyOf(builder.curvePreferences);
  }

  /** {@return a builder with KrakenD's defaults: system CAs trusted, TLS 1.3 only, no client certificate} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.allowInsecureConnections = allowInsecureConnections;
    builder.caCerts.addAll(caCerts);
    builder.disableSystemCaPool = disableSystemCaPool;
    builder.clientCerts.addAll(clientCerts);
    builder.minVersion = minVersion;
    builder.maxVersion = maxVersion;
    builder.cipherSuites.addAll(cipherSuites);
    builder.curvePreferences.addAll(curvePreferences);
    return builder;
  }

  /** {@return whether the broker's certificate and host name go unchecked ({@code allow_insecure_connections})} */
  public boolean allowInsecureConnections() {
    return allowInsecureConnections;
  }

  /** {@return the PEM files of extra trusted CAs ({@code ca_certs})} */
  public List<Path> caCerts() {
    return caCerts;
  }

  /** {@return whether only {@link #caCerts()} are trusted, not the JDK's CAs ({@code disable_system_ca_pool})} */
  public boolean disableSystemCaPool() {
    return disableSystemCaPool;
  }

  /** {@return the client certificates for mutual TLS ({@code client_certs})} */
  public List<ClientCert> clientCerts() {
    return clientCerts;
  }

  /** {@return the lowest protocol version offered ({@code min_version})} */
  public TlsVersion minVersion() {
    return minVersion;
  }

  /** {@return the highest protocol version offered ({@code max_version})} */
  public TlsVersion maxVersion() {
    return maxVersion;
  }

  /**
   * Returns the cipher suites, by IANA number ({@code cipher_suites}); empty means the JDK's defaults.
   * See {@link Builder#cipherSuites(List)}.
   *
   * @return the cipher suites, in order of preference; empty for the JDK's defaults
   */
  public List<Integer> cipherSuites() {
    return cipherSuites;
  }

  /**
   * Returns the key-exchange groups, by IANA number ({@code curve_preferences}); empty means the JDK's.
   * See {@link Builder#curvePreferences(List)} for where they apply.
   *
   * @return the groups, in order of preference; empty for the JDK's
   */
  public List<Integer> curvePreferences() {
    return curvePreferences;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientTls other
        && allowInsecureConnections == other.allowInsecureConnections
        && caCerts.equals(other.caCerts)
        && disableSystemCaPool == other.disableSystemCaPool
        && clientCerts.equals(other.clientCerts)
        && minVersion == other.minVersion
        && maxVersion == other.maxVersion
        && cipherSuites.equals(other.cipherSuites)
        && curvePreferences.equals(other.curvePreferences);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowInsecureConnections, caCerts, disableSystemCaPool, clientCerts, minVersion, maxVersion,
        cipherSuites, curvePreferences);
  }

  @Override
  public String toString() {
    return "ClientTls{minVersion=" + minVersion.krakendName() + ", maxVersion=" + maxVersion.krakendName()
        + (caCerts.isEmpty() ? "" : ", caCerts=" + caCerts)
        + (disableSystemCaPool ? ", disableSystemCaPool" : "")
        + (clientCerts.isEmpty() ? "" : ", clientCerts=" + clientCerts.size())
        + (allowInsecureConnections ? ", allowInsecureConnections" : "")
        + (cipherSuites.isEmpty() ? "" : ", cipherSuites=" + cipherSuites)
        + (curvePreferences.isEmpty() ? "" : ", curvePreferences=" + curvePreferences)
        + "}";
  }

  /** Builds a {@link ClientTls}. Each setter checks its value at once; {@link #build()} checks them together. */
  public static final class Builder {
    private boolean allowInsecureConnections;
    private final List<Path> caCerts = new ArrayList<>();
    private boolean disableSystemCaPool;
    private final List<ClientCert> clientCerts = new ArrayList<>();
    private TlsVersion minVersion = TlsVersion.TLS13;
    private TlsVersion maxVersion = TlsVersion.TLS13;
    private final List<Integer> cipherSuites = new ArrayList<>();
    private final List<Integer> curvePreferences = new ArrayList<>();

    private Builder() {}

    /**
     * Skips every check of the broker's certificate: its chain, its dates and its host name (KrakenD's
     * {@code allow_insecure_connections}, Go's {@code InsecureSkipVerify}). Default false. The connection
     * is still encrypted, but anyone on the path can read it. For labs only.
     *
     * @param allow whether to skip the checks
     * @return this builder
     */
    public Builder allowInsecureConnections(boolean allow) {
      this.allowInsecureConnections = allow;
      return this;
    }

    /**
     * Sets PEM files of CA certificates to trust besides the JDK's (KrakenD's {@code ca_certs}); each file
     * may hold several. Replaces any set before. Default none. {@link #build()} checks that each is a
     * readable PEM file of certificates.
     *
     * @param caCerts the PEM files; may be empty
     * @return this builder
     * @throws NullPointerException if the list or an element is null
     */
    public Builder caCerts(List<Path> caCerts) {
      requireNonNull(caCerts, "caCerts");
      List<Path> copy = new ArrayList<>();
      caCerts.forEach(p -> copy.add(requireNonNull(p, "caCerts[]")));
      this.caCerts.clear();
      this.caCerts.addAll(copy);
      return this;
    }

    /**
     * Trusts only {@link #caCerts} when true, not the CAs of the JDK's trust store (KrakenD's
     * {@code disable_system_ca_pool}). Default false. {@link #build()} then requires {@code caCerts},
     * unless {@link #allowInsecureConnections} makes trust moot.
     *
     * @param disable whether to leave the JDK's CAs out
     * @return this builder
     */
    public Builder disableSystemCaPool(boolean disable) {
      this.disableSystemCaPool = disable;
      return this;
    }

    /**
     * Adds a client certificate and its key, for mutual TLS (an entry of KrakenD's
     * {@code client_certs}). Default none. With several, the client presents the one the broker's list of
     * acceptable CAs matches. {@link #build()} checks that the files are readable PEM and that the key
     * belongs to the certificate.
     *
     * @param certificate the PEM file of the certificate chain, leaf first
     * @param privateKey the PEM file of the unencrypted private key: {@code PRIVATE KEY} (PKCS #8),
     *     {@code RSA PRIVATE KEY} (PKCS #1) or {@code EC PRIVATE KEY} (SEC 1), as Go reads
     * @return this builder
     * @throws NullPointerException if either is null
     */
    public Builder clientCert(Path certificate, Path privateKey) {
      clientCerts.add(new ClientCert(certificate, privateKey));
      return this;
    }

    /**
     * Sets the client certificates, for mutual TLS; replaces any set before. Default none. See
     * {@link #clientCert(Path, Path)}.
     *
     * @param clientCerts the certificates and keys; may be empty
     * @return this builder
     * @throws NullPointerException if the list or an element is null
     */
    public Builder clientCerts(List<ClientCert> clientCerts) {
      requireNonNull(clientCerts, "clientCerts");
      List<ClientCert> copy = new ArrayList<>();
      clientCerts.forEach(c -> copy.add(requireNonNull(c, "clientCerts[]")));
      this.clientCerts.clear();
      this.clientCerts.addAll(copy);
      return this;
    }

    /**
     * Sets the lowest version offered (KrakenD's {@code min_version}). Default {@link TlsVersion#TLS13},
     * KrakenD's: a broker that speaks only TLS 1.2 needs {@link TlsVersion#TLS12} here. TLS 1.0 and 1.1
     * are accepted, but the JDK refuses them unless the JVM's {@code jdk.tls.disabledAlgorithms} security
     * property is relaxed.
     *
     * @param minVersion the lowest version, {@code <= maxVersion} (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if it is {@link TlsVersion#SSL30}
     * @throws NullPointerException if it is null
     */
    public Builder minVersion(TlsVersion minVersion) {
      this.minVersion = speakable("clientTls.minVersion", minVersion);
      return this;
    }

    /**
     * Sets the highest version offered (KrakenD's {@code max_version}). Default {@link TlsVersion#TLS13},
     * KrakenD's.
     *
     * @param maxVersion the highest version, {@code >= minVersion} (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if it is {@link TlsVersion#SSL30}
     * @throws NullPointerException if it is null
     */
    public Builder maxVersion(TlsVersion maxVersion) {
      this.maxVersion = speakable("clientTls.maxVersion", maxVersion);
      return this;
    }

    /**
     * Sets the cipher suites offered, by IANA number (KrakenD's {@code cipher_suites}); replaces any set
     * before. Default none: the JDK's own list. Known are the TLS 1.3 suites 4865 to 4867 and Go's TLS 1.2
     * suites with AES or ChaCha20 (not RC4 or 3DES); {@link #build()} rejects other numbers. A list of
     * TLS 1.2 suites only leaves the TLS 1.3 suites on, as in Go, where those cannot be configured.
     *
     * @param cipherSuites the IANA numbers, in order of preference; may be empty
     * @return this builder
     * @throws NullPointerException if the list or an element is null
     */
    public Builder cipherSuites(List<Integer> cipherSuites) {
      requireNonNull(cipherSuites, "cipherSuites");
      List<Integer> copy = new ArrayList<>();
      cipherSuites.forEach(c -> copy.add(requireNonNull(c, "cipherSuites[]")));
      this.cipherSuites.clear();
      this.cipherSuites.addAll(copy);
      return this;
    }

    /**
     * Sets the key-exchange groups, by IANA number (KrakenD's {@code curve_preferences}: 23 P-256, 24
     * P-384, 25 P-521, 29 X25519; also 30 X448 and 256 to 260, the FFDHE groups); replaces any set before.
     * Default none: the JDK's. {@link #build()} rejects other numbers. Java 17 cannot set the groups of
     * one connection: on Java 20 and later the driver does; on 17 to 19 the numbers are only checked, and
     * the JVM-wide system property {@code jdk.tls.namedGroups} decides.
     *
     * @param curvePreferences the IANA numbers, in order of preference; may be empty
     * @return this builder
     * @throws NullPointerException if the list or an element is null
     */
    public Builder curvePreferences(List<Integer> curvePreferences) {
      requireNonNull(curvePreferences, "curvePreferences");
      List<Integer> copy = new ArrayList<>();
      curvePreferences.forEach(c -> copy.add(requireNonNull(c, "curvePreferences[]")));
      this.curvePreferences.clear();
      this.curvePreferences.addAll(copy);
      return this;
    }

    /**
     * Builds the settings, reading every PEM file once.
     *
     * @return the settings
     * @throws InvalidConfigException listing every problem: {@code minVersion} above {@code maxVersion};
     *     {@code disableSystemCaPool} with no {@code caCerts} and without {@code allowInsecureConnections};
     *     an unknown cipher suite or group number; cipher suites for TLS 1.3 only when {@code maxVersion}
     *     is below it; a PEM file that does not exist, cannot be read or holds no certificate (or no
     *     unencrypted key); a client key that does not belong to its certificate. Each names the field,
     *     such as {@code clientTls.clientCerts[0].privateKey}, and the file.
     */
    public ClientTls build() {
      List<Violation> violations = new ArrayList<>();
      if (minVersion.compareTo(maxVersion) > 0) {
        violations.add(new Violation("clientTls.minVersion",
            "must not be above maxVersion (" + maxVersion.krakendName() + "), but was " + minVersion.krakendName()));
      }
      if (disableSystemCaPool && caCerts.isEmpty() && !allowInsecureConnections) {
        violations.add(new Violation("clientTls.disableSystemCaPool", "must be false when caCerts is empty and"
            + " allowInsecureConnections is false (no broker certificate could be trusted), but was true"));
      }
      checkCipherSuites(violations);
      for (int i = 0; i < curvePreferences.size(); i++) {
        int id = curvePreferences.get(i);
        if (TlsNames.namedGroup(id).isEmpty()) {
          violations.add(new Violation("clientTls.curvePreferences[" + i + "]",
              "must be one of " + TlsNames.knownNamedGroups() + ", but was " + id));
        }
      }
      for (int i = 0; i < caCerts.size(); i++) {
        PemFiles.checkCertificates("clientTls.caCerts[" + i + "]", caCerts.get(i), violations);
      }
      for (int i = 0; i < clientCerts.size(); i++) {
        ClientCert clientCert = clientCerts.get(i);
        PemFiles.checkKeyPair("clientTls.clientCerts[" + i + "]", clientCert.certificate(), clientCert.privateKey(),
            violations);
      }
      if (!violations.isEmpty()) {
        throw new InvalidConfigException("clientTls", violations);
      }
      return new ClientTls(this);
    }

    private void checkCipherSuites(List<Violation> violations) {
      boolean allKnown = true;
      for (int i = 0; i < cipherSuites.size(); i++) {
        int id = cipherSuites.get(i);
        if (TlsNames.cipherSuite(id).isEmpty()) {
          allKnown = false;
          violations.add(new Violation("clientTls.cipherSuites[" + i + "]",
              "must be one of the supported cipher suites " + TlsNames.knownCipherSuites() + ", but was " + id));
        }
      }
      if (allKnown && !cipherSuites.isEmpty() && maxVersion != TlsVersion.TLS13
          && cipherSuites.stream().allMatch(TlsNames::isTls13Suite)) {
        violations.add(new Violation("clientTls.cipherSuites", "must hold a suite for TLS 1.2 or below when"
            + " maxVersion is " + maxVersion.krakendName() + ", but holds only TLS 1.3 suites " + cipherSuites));
      }
    }

    private static TlsVersion speakable(String name, TlsVersion version) {
      requireNonNull(version, name.substring(name.indexOf('.') + 1));
      if (version == TlsVersion.SSL30) {
        throw new IllegalArgumentException(name + " must not be SSL3.0 (the JDK no longer speaks it), but was SSL3.0");
      }
      return version;
    }
  }
}
