package io.asyncagent.kafka.internal;

import static io.asyncagent.testkit.TestCertificates.pemBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.testkit.TestCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three key encodings Go reads, made here from keys of the JDK's own generators. */
class PemFilesTest {
  private static final byte[] P256 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static KeyPair generate(String algorithm) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else if (algorithm.equals("RSA")) {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  /** PKCS #1: the key inside a PKCS #8 RSA key's octet string. */
  private static byte[] pkcs1(PrivateKey rsa) throws GeneralSecurityException {
    PemKeyFormats.Reader info = new PemKeyFormats.Reader(rsa.getEncoded()).enter(PemKeyFormats.SEQUENCE);
    info.next(PemKeyFormats.INTEGER);
    info.next(PemKeyFormats.SEQUENCE);
    return info.next(PemKeyFormats.OCTET_STRING);
  }

  /** SEC 1 as OpenSSL writes it: version 1, the private value, and the curve. */
  private static byte[] sec1(ECPrivateKey ec) {
    byte[] s = ec.getS().toByteArray();
    byte[] value = new byte[32];
    int from = Math.max(0, s.length - 32);
    System.arraycopy(s, from, value, 32 - (s.length - from), s.length - from);
    return PemKeyFormats.tlv(PemKeyFormats.SEQUENCE, PemKeyFormats.concat(
        new byte[] {PemKeyFormats.INTEGER, 0x01, 0x01},
        PemKeyFormats.tlv(PemKeyFormats.OCTET_STRING, value),
        PemKeyFormats.tlv(0xa0, PemKeyFormats.tlv(PemKeyFormats.OID, P256))));
  }

  @Test
  void readsPkcs8KeysOfEveryAlgorithmGoTakes() throws Exception {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      KeyPair pair = generate(algorithm);
      Path file = write(algorithm + ".pem", pemBlock("PRIVATE KEY", pair.getPrivate().getEncoded()));

      PrivateKey key = PemFiles.privateKey(file);

      assertThat(key.getEncoded()).as(algorithm).isEqualTo(pair.getPrivate().getEncoded());
    }
  }

  @Test
  void readsPkcs1RsaKeys() throws Exception {
    KeyPair pair = generate("RSA");
    Path file = write("rsa.pem", pemBlock("RSA PRIVATE KEY", pkcs1(pair.getPrivate())));

    assertThat(PemFiles.privateKey(file).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void readsSec1EcKeysNamingTheirCurve() throws Exception {
    KeyPair pair = generate("EC");
    Path file = write("ec.pem", pemBlock("EC PRIVATE KEY", sec1((ECPrivateKey) pair.getPrivate())));

    PrivateKey key = PemFiles.privateKey(file);

    assertThat(key).isInstanceOf(ECPrivateKey.class);
    assertThat(((ECPrivateKey) key).getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
  }

  @Test
  void findsTheKeyAmongOtherBlocksAsGoDoes() throws Exception {
    TestCertificates certificates = TestCertificates.shared();
    KeyPair pair = generate("EC");
    Path file = write("both.pem", Files.readString(certificates.clientCertificate())
        + "some comment\n" + pemBlock("PRIVATE KEY", pair.getPrivate().getEncoded()));

    assertThat(PemFiles.privateKey(file).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    assertThat(PemFiles.certificates(file)).hasSize(2);
  }

  @Test
  void readsEveryCertificateOfAChainInOrder() throws Exception {
    TestCertificates certificates = TestCertificates.shared();

    assertThat(PemFiles.certificates(certificates.serverCertificate()))
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=localhost", "CN=async-agent test CA");
  }

  @Test
  void tellsAKeyOfTheCertificateFromAnother() throws Exception {
    TestCertificates certificates = TestCertificates.shared();
    var client = PemFiles.certificates(certificates.clientCertificate()).get(0);

    assertThat(PemFiles.keyMatches(PemFiles.privateKey(certificates.clientPrivateKey()), client)).isTrue();
    assertThat(PemFiles.keyMatches(PemFiles.privateKey(certificates.serverPrivateKey()), client)).isFalse();
    assertThat(PemFiles.keyMatches(generate("RSA").getPrivate(), client)).isFalse();
  }

  @Test
  void refusesEncryptedKeysOfBothKindsWithAClearMessage() throws Exception {
    Path pkcs8 = write("enc8.pem", pemBlock("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
    Path legacy = write("legacy.pem", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        + "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nMAA=\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.privateKey(pkcs8))
        .isInstanceOf(PemFiles.BadFile.class)
        .hasMessage(pkcs8 + " holds an encrypted private key (ENCRYPTED PRIVATE KEY); the driver reads only"
            + " unencrypted keys, as KrakenD does: decrypt it, such as with openssl pkey");
    assertThatThrownBy(() -> PemFiles.privateKey(legacy))
        .isInstanceOf(PemFiles.BadFile.class)
        .hasMessage(legacy + " holds an encrypted private key (RSA PRIVATE KEY); the driver reads only"
            + " unencrypted keys, as KrakenD does: decrypt it, such as with openssl pkey");
  }

  @Test
  void namesTheFileAndWhatIsWrongWithIt() throws Exception {
    Path missing = dir.resolve("missing.pem");
    Path empty = write("empty.pem", "not PEM at all\n");
    Path badKey = write("bad-key.pem", pemBlock("PRIVATE KEY", new byte[] {0x02, 0x01, 0x00}));
    Path badBase64 = write("bad-base64.pem", "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n");
    Path dsa = write("dsa.pem", pemBlock("DSA PRIVATE KEY", new byte[] {0x30, 0x00}));
    Path ecWithoutCurve = write("ec.pem", pemBlock("EC PRIVATE KEY", PemKeyFormats.tlv(PemKeyFormats.SEQUENCE,
        PemKeyFormats.concat(new byte[] {PemKeyFormats.INTEGER, 0x01, 0x01},
            PemKeyFormats.tlv(PemKeyFormats.OCTET_STRING, new byte[32])))));
    Path x25519 = write("unknown.pem", pemBlock("PRIVATE KEY", PemKeyFormats.tlv(PemKeyFormats.SEQUENCE,
        PemKeyFormats.concat(new byte[] {PemKeyFormats.INTEGER, 0x01, 0x00},
            PemKeyFormats.tlv(PemKeyFormats.SEQUENCE,
                PemKeyFormats.tlv(PemKeyFormats.OID, new byte[] {0x2b, 0x65, 0x6e})), // X25519: no signatures
            PemKeyFormats.tlv(PemKeyFormats.OCTET_STRING, new byte[2])))));

    assertThatThrownBy(() -> PemFiles.certificates(missing)).hasMessage(missing + " does not exist");
    assertThatThrownBy(() -> PemFiles.certificates(dir)).hasMessage(dir + " is not a readable file");
    assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessage(empty + " holds no PEM CERTIFICATE block");
    assertThatThrownBy(() -> PemFiles.privateKey(empty))
        .hasMessage(empty + " holds no PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
    assertThatThrownBy(() -> PemFiles.certificates(badBase64))
        .hasMessage("the CERTIFICATE block of " + badBase64 + " is not valid base64");
    assertThatThrownBy(() -> PemFiles.privateKey(badKey))
        .hasMessage("the PRIVATE KEY block of " + badKey + " does not decode: malformed DER: expected tag 0x30,"
            + " found 0x02");
    assertThatThrownBy(() -> PemFiles.privateKey(dsa))
        .hasMessage("the DSA PRIVATE KEY block of " + dsa + " is in no format the driver reads: PRIVATE KEY"
            + " (PKCS #8), RSA PRIVATE KEY (PKCS #1) or EC PRIVATE KEY (SEC 1)");
    assertThatThrownBy(() -> PemFiles.privateKey(ecWithoutCurve))
        .hasMessage("the EC PRIVATE KEY block of " + ecWithoutCurve + " does not decode: the EC key does not name"
            + " its curve");
    assertThatThrownBy(() -> PemFiles.privateKey(x25519))
        .hasMessage("the PRIVATE KEY block of " + x25519 + " does not decode: the key's algorithm"
            + " (OID 1.3.101.110) is not RSA, EC or EdDSA");
  }

  @Test
  void writesLongDerLengthsThatReadBack() throws Exception {
    byte[] value = new byte[300];
    Arrays.fill(value, (byte) 7);

    byte[] encoded = PemKeyFormats.tlv(PemKeyFormats.OCTET_STRING, value);

    assertThat(Arrays.copyOf(encoded, 4)).containsExactly(0x04, 0x82, 0x01, 0x2c);
    assertThat(new PemKeyFormats.Reader(encoded).next(PemKeyFormats.OCTET_STRING)).isEqualTo(value);
    assertThat(new BigInteger(1, Arrays.copyOfRange(encoded, 2, 4))).isEqualTo(300);
  }
}
