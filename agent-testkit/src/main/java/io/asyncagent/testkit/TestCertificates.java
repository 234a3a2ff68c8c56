package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Certificates for TLS tests, made with the JDK's {@code keytool} in a folder: a CA, a server certificate for
 * {@code localhost} and {@code 127.0.0.1} and a client certificate, both signed by that CA, and a second, unrelated
 * CA. Every certificate comes as a PEM file, every private key as an unencrypted PKCS #8 PEM file ({@code -----BEGIN
 * PRIVATE KEY-----}), and the server and client ones also as PKCS #12 key stores for brokers and Java clients.
 *
 * <pre>{@code
 * TestCertificates certificates = TestCertificates.create();
 * EmbeddedKafka kafka = EmbeddedKafka.builder().mutualTls(certificates).start();
 * ClientTls tls = ClientTls.builder()
 *     .caCerts(List.of(certificates.caCertificate()))
 *     .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey())
 *     .build();
 * }</pre>
 *
 * <p>Keys are EC P-256, signatures SHA256withECDSA. The CA certificates are valid for ten years from now; the server
 * and client certificates for a year from an hour ago unless {@link Builder#serverValidity} or {@link
 * Builder#clientValidity} says otherwise, such as a window in the past for an expired certificate. Making a set takes
 * two to four seconds (keytool runs as a process, several at once), so share one: {@link #shared()} does that for
 * the default set. The files stay until the folder is deleted; {@link #create()} uses a fresh temporary folder.
 * A temporary folder is deleted when the JVM exits. Immutable and thread-safe.
 */
public final class TestCertificates {
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.:*-]{1,253}");

  private final Path directory;

  /** The set {@link #shared()} returns; made on first use. */
  private static final class Shared {
    static final TestCertificates INSTANCE = create();
  }

  private TestCertificates(Path directory) {
    this.directory = directory;
  }

  /**
   * Makes a set with the defaults described on the class, in a new temporary folder.
   *
   * @return the certificates
   * @throws IllegalStateException if keytool fails or the files cannot be written
   */
  public static TestCertificates create() {
    return builder().create();
  }

  /**
   * Returns one set with the defaults, made on the first call and shared by every later caller in the JVM, so that
   * test classes needing ordinary certificates pay for keytool once. Do not change its files.
   *
   * @return the shared certificates
   * @throws IllegalStateException if keytool fails or the files cannot be written (on the first call)
   */
  public static TestCertificates shared() {
    return Shared.INSTANCE;
  }

  /**
   * Returns a builder for a set with other validity windows, host names or folder.
   *
   * @return a new builder with the defaults described on the class
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the folder holding the files.
   *
   * @return an absolute path
   */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the PEM file of the CA certificate that signed the server and client certificates.
   *
   * @return {@code <directory>/ca.pem}
   */
  public Path caCertificate() {
    return directory.resolve("ca.pem");
  }

  /**
   * Returns the PEM file of a second CA that signed nothing here: trusting only it, a client trusts no certificate of
   * this set.
   *
   * @return {@code <directory>/other-ca.pem}
   */
  public Path otherCaCertificate() {
    return directory.resolve("other-ca.pem");
  }

  /**
   * Returns the PEM file of the server certificate chain: the server certificate, then the CA's.
   *
   * @return {@code <directory>/server.pem}
   */
  public Path serverCertificate() {
    return directory.resolve("server.pem");
  }

  /**
   * Returns the PEM file of the server's private key, PKCS #8, unencrypted.
   *
   * @return {@code <directory>/server-key.pem}
   */
  public Path serverPrivateKey() {
    return directory.resolve("server-key.pem");
  }

  /**
   * Returns the PKCS #12 key store of the server: its key and certificate chain under the alias {@code server},
   * protected by {@link #storePassword()}, as a broker's {@code ssl.keystore.location} takes it.
   *
   * @return {@code <directory>/server.p12}
   */
  public Path serverKeyStore() {
    return directory.resolve("server.p12");
  }

  /**
   * Returns the PEM file of the client certificate chain: the client certificate ({@code CN=async-agent test
   * client}), then the CA's.
   *
   * @return {@code <directory>/client.pem}
   */
  public Path clientCertificate() {
    return directory.resolve("client.pem");
  }

  /**
   * Returns the PEM file of the client's private key, PKCS #8, unencrypted.
   *
   * @return {@code <directory>/client-key.pem}
   */
  public Path clientPrivateKey() {
    return directory.resolve("client-key.pem");
  }

  /**
   * Returns the PKCS #12 key store of the client: its key and certificate chain under the alias {@code client},
   * protected by {@link #storePassword()}.
   *
   * @return {@code <directory>/client.p12}
   */
  public Path clientKeyStore() {
    return directory.resolve("client.p12");
  }

  /**
   * Returns a PKCS #12 trust store holding the CA certificate under the alias {@code ca}, protected by {@link
   * #storePassword()}, as a broker's {@code ssl.truststore.location} takes it to check client certificates.
   *
   * @return {@code <directory>/truststore.p12}
   */
  public Path trustStore() {
    return directory.resolve("truststore.p12");
  }

  /**
   * Returns the password of every key store here, and of the keys in them.
   *
   * @return {@code changeit}
   */
  public String storePassword() {
    return Keytool.STORE_PASSWORD;
  }

  /** Returns {@code TestCertificates[<directory>]}. */
  @Override
  public String toString() {
    return "TestCertificates[" + directory + "]";
  }

  /** Configures a {@link TestCertificates} set; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private Path directory;
    private Instant serverNotBefore;
    private Duration serverValidity = Duration.ofDays(365);
    private Instant clientNotBefore;
    private Duration clientValidity = Duration.ofDays(365);
    private List<String> serverHostNames = List.of("localhost", "127.0.0.1");

    private Builder() {}

    /**
     * Sets the folder to write the files to; it is created if missing, and files of an earlier set are overwritten.
     * Default: a new temporary folder, deleted when the JVM exits.
     *
     * @param directory the folder
     * @return this builder
     * @throws NullPointerException if {@code directory} is null
     */
    public Builder directory(Path directory) {
      this.directory = requireNonNull(directory, "directory").toAbsolutePath();
      return this;
    }

    /**
     * Sets when the server certificate becomes valid and for how long. Default: from an hour before {@link
     * #create()} for 365 days. A window in the past makes an expired certificate, such as {@code
     * serverValidity(Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(1))}.
     *
     * @param notBefore the start of the window, to the second
     * @param validity its length: whole days, at least one (keytool counts in days)
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException {@code validity must be whole days >= 1, but was PT1H}
     */
    public Builder serverValidity(Instant notBefore, Duration validity) {
      this.serverNotBefore = requireNonNull(notBefore, "notBefore");
      this.serverValidity = days(validity);
      return this;
    }

    /**
     * Sets when the client certificate becomes valid and for how long; as {@link #serverValidity}.
     *
     * @param notBefore the start of the window, to the second
     * @param validity its length: whole days, at least one
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException {@code validity must be whole days >= 1, but was PT1H}
     */
    public Builder clientValidity(Instant notBefore, Duration validity) {
      this.clientNotBefore = requireNonNull(notBefore, "notBefore");
      this.clientValidity = days(validity);
      return this;
    }

    /**
     * Sets the host names and IP addresses the server certificate is for (its subject alternative names). Default
     * {@code localhost} and {@code 127.0.0.1}, where {@link EmbeddedKafka} listens. Another name makes a certificate
     * that fails host name verification against the embedded broker.
     *
     * @param hostNames DNS names or IP addresses, at least one
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if there are none, or one is not a plain host name or address
     */
    public Builder serverHostNames(String... hostNames) {
      requireNonNull(hostNames, "hostNames");
      if (hostNames.length == 0) {
        throw new IllegalArgumentException("serverHostNames must name at least one host, but was empty");
      }
      for (String name : hostNames) {
        requireNonNull(name, "hostNames[]");
        if (!HOST_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("serverHostNames must be host names or IP addresses, but held '" + name
              + "'");
        }
      }
      this.serverHostNames = List.of(hostNames);
      return this;
    }

    /**
     * Makes the certificates and writes the files.
     *
     * @return the certificates
     * @throws IllegalStateException if keytool fails or the files cannot be written
     */
    public TestCertificates create() {
      Instant now = Instant.now();
      try {
        Path dir = directory != null ? Files.createDirectories(directory) : CertificateFiles.temporaryFolder();
        Instant oneHourAgo = now.minus(Duration.ofHours(1));
        CertificateFiles.write(dir, serverHostNames,
            serverNotBefore == null ? oneHourAgo : serverNotBefore, serverValidity,
            clientNotBefore == null ? oneHourAgo : clientNotBefore, clientValidity);
        return new TestCertificates(dir);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot write the test certificates: " + e, e);
      }
    }

    private static Duration days(Duration validity) {
      requireNonNull(validity, "validity");
      if (validity.toDays() < 1 || !validity.equals(Duration.ofDays(validity.toDays()))) {
        throw new IllegalArgumentException("validity must be whole days >= 1, but was " + validity);
      }
      return validity;
    }
  }

  /**
   * Returns a PEM block: {@code -----BEGIN <label>-----}, the bytes in base64 lines of 64 characters, {@code
   * -----END <label>-----}.
   *
   * @param label the block's label, such as {@code CERTIFICATE} or {@code RSA PRIVATE KEY}
   * @param der the bytes
   * @return the block, ending with a line break
   * @throws NullPointerException if an argument is null
   */
  public static String pemBlock(String label, byte[] der) {
    requireNonNull(label, "label");
    requireNonNull(der, "der");
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
