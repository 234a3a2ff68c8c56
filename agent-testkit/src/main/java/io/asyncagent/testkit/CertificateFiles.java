package io.asyncagent.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the files of a {@link TestCertificates} set. keytool makes the keys and signs the certificates, in three
 * rounds of runs started together (keys; signing requests; signatures); Java then reads keys and certificates out of
 * keytool's stores and writes the PEM files and the stores brokers and clients take.
 */
final class CertificateFiles {
  private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
  private static final DateTimeFormatter KEYTOOL_DATE =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private CertificateFiles() {}

  /** Temporary folders to delete when the JVM exits; the hook is added with the first. */
  private static final class Temporary {
    static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FOLDERS.forEach(Temporary::delete),
          "test-certificates-cleanup"));
    }

    private static void delete(Path folder) {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // best effort at exit: the folder is in the system's temporary directory anyway
      }
    }
  }

  /** Creates a temporary folder that is deleted, with its files, when the JVM exits. */
  static Path temporaryFolder() throws IOException {
    Path folder = Files.createTempDirectory("test-certificates");
    Temporary.FOLDERS.add(folder);
    return folder;
  }

  static void write(Path dir, List<String> serverHostNames, Instant serverNotBefore, Duration serverValidity,
      Instant clientNotBefore, Duration clientValidity) throws IOException, GeneralSecurityException {
    Keytool keytool = new Keytool(dir);
    for (String stale : List.of("ca.p12", "other-ca.p12", "server-request.p12", "client-request.p12")) {
      Files.deleteIfExists(dir.resolve(stale)); // keytool refuses to add a key under an alias in use
    }
    List<Keytool.Run> keys = List.of(
        keytool.generateKeyPair("ca.p12", "CN=async-agent test CA", "bc:c", "KeyUsage=keyCertSign,cRLSign"),
        keytool.generateKeyPair("other-ca.p12", "CN=async-agent other CA", "bc:c", "KeyUsage=keyCertSign,cRLSign"),
        keytool.generateKeyPair("server-request.p12", "CN=" + serverHostNames.get(0)),
        keytool.generateKeyPair("client-request.p12", "CN=async-agent test client"));
    keys.forEach(Keytool.Run::await);
    List<Keytool.Run> requests = List.of(
        keytool.start("-certreq", "-alias", "key", "-keystore", "server-request.p12", "-file", "server.csr"),
        keytool.start("-certreq", "-alias", "key", "-keystore", "client-request.p12", "-file", "client.csr"));
    requests.forEach(Keytool.Run::await);
    List<Keytool.Run> signatures = List.of(
        sign(keytool, "server", serverNotBefore, serverValidity, "SAN=" + subjectAlternativeNames(serverHostNames),
            "EKU=serverAuth"),
        sign(keytool, "client", clientNotBefore, clientValidity, "EKU=clientAuth"));
    signatures.forEach(Keytool.Run::await);

    X509Certificate ca = (X509Certificate) load(dir.resolve("ca.p12")).getCertificate("key");
    writePem(dir.resolve("ca.pem"), List.of(ca), null);
    writePem(dir.resolve("other-ca.pem"),
        List.of((X509Certificate) load(dir.resolve("other-ca.p12")).getCertificate("key")), null);
    writeLeaf(dir, "server", ca);
    writeLeaf(dir, "client", ca);
    KeyStore trust = emptyStore();
    trust.setCertificateEntry("ca", ca);
    store(trust, dir.resolve("truststore.p12"));
  }

  private static Keytool.Run sign(Keytool keytool, String leaf, Instant notBefore, Duration validity,
      String... extensions) {
    List<String> arguments = new ArrayList<>(List.of("-gencert", "-alias", "key", "-keystore", "ca.p12", "-infile",
        leaf + ".csr", "-outfile", leaf + "-signed.pem", "-rfc", "-startdate", KEYTOOL_DATE.format(notBefore),
        "-validity", String.valueOf(validity.toDays())));
    for (String extension : extensions) {
      arguments.add("-ext");
      arguments.add(extension);
    }
    return keytool.start(arguments.toArray(new String[0]));
  }

  /** Writes {@code <leaf>.pem}, {@code <leaf>-key.pem} and {@code <leaf>.p12} from keytool's request and answer. */
  private static void writeLeaf(Path dir, String leaf, X509Certificate ca)
      throws IOException, GeneralSecurityException {
    PrivateKey key = (PrivateKey) load(dir.resolve(leaf + "-request.p12"))
        .getKey("key", Keytool.STORE_PASSWORD.toCharArray());
    X509Certificate signed;
    try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(dir.resolve(leaf + "-signed.pem")))) {
      signed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    List<X509Certificate> chain = List.of(signed, ca);
    writePem(dir.resolve(leaf + ".pem"), chain, null);
    writePem(dir.resolve(leaf + "-key.pem"), List.of(), key);
    KeyStore store = emptyStore();
    store.setKeyEntry(leaf, key, Keytool.STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
    store(store, dir.resolve(leaf + ".p12"));
  }

  private static String subjectAlternativeNames(List<String> hostNames) {
    List<String> names = new ArrayList<>();
    for (String name : hostNames) {
      names.add((IP_ADDRESS.matcher(name).matches() ? "ip:" : "dns:") + name);
    }
    return String.join(",", names);
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, Keytool.STORE_PASSWORD.toCharArray());
    }
    return store;
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, Keytool.STORE_PASSWORD.toCharArray());
    }
  }

  private static void writePem(Path file, List<X509Certificate> certificates, Key key)
      throws IOException, GeneralSecurityException {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(TestCertificates.pemBlock("CERTIFICATE", certificate.getEncoded()));
    }
    if (key != null) {
      pem.append(TestCertificates.pemBlock("PRIVATE KEY", key.getEncoded())); // a private key's encoding is PKCS #8
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }
}
