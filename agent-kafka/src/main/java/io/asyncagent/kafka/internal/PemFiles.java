package io.asyncagent.kafka.internal;

import io.asyncagent.Violation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files the way Go's {@code tls.LoadX509KeyPair} and
 * {@code x509.CertPool.AppendCertsFromPEM} do: certificates are every {@code CERTIFICATE} block of a file;
 * the key is the first block whose label ends in {@code PRIVATE KEY} — PKCS #8, PKCS #1 (RSA) or SEC 1
 * (EC) — and other blocks are skipped, so one file may hold both.
 */
public final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern BLANK_LINE = Pattern.compile("\\R\\R");

  private PemFiles() {}

  /**
   * A file that cannot serve; the message names it and completes a rule, such as {@code /etc/ca.pem does not exist}
   * or {@code the EC PRIVATE KEY block of /etc/key.pem does not decode: ...}.
   */
  public static final class BadFile extends Exception {
    private static final long serialVersionUID = 1L;

    BadFile(String message) {
      super(message);
    }

    BadFile(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One PEM block: its label, such as {@code CERTIFICATE}, its RFC 1421 headers, and its bytes. */
  record Block(String label, String headers, byte[] der) {}

  /**
   * Returns every certificate of a PEM file, in file order.
   *
   * @throws BadFile if the file cannot be read, holds no {@code CERTIFICATE} block or a block that is
   *     not an X.509 certificate
   */
  public static List<X509Certificate> certificates(Path file) throws BadFile {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Block block : blocks(file)) {
      if (block.label().equals("CERTIFICATE")) {
        certificates.add(certificate(file, block.der()));
      }
    }
    if (certificates.isEmpty()) {
      throw new BadFile(file + " holds no PEM CERTIFICATE block");
    }
    return certificates;
  }

  /**
   * Returns the first private key of a PEM file: a {@code PRIVATE KEY} (PKCS #8), {@code RSA PRIVATE KEY}
   * (PKCS #1) or {@code EC PRIVATE KEY} (SEC 1) block, not encrypted.
   *
   * @throws BadFile if the file cannot be read, holds no such block, an encrypted one, or one that does
   *     not decode
   */
  public static PrivateKey privateKey(Path file) throws BadFile {
    for (Block block : blocks(file)) {
      String label = block.label();
      if (!label.endsWith("PRIVATE KEY")) {
        continue;
      }
      if (label.equals("ENCRYPTED PRIVATE KEY") || block.headers().toUpperCase(Locale.ROOT).contains("ENCRYPTED")) {
        throw new BadFile(file + " holds an encrypted private key (" + label + "); the driver reads only"
            + " unencrypted keys, as KrakenD does: decrypt it, such as with openssl pkey");
      }
      try {
        switch (label) {
          case "PRIVATE KEY":
            return PemKeyFormats.pkcs8(block.der());
          case "RSA PRIVATE KEY":
            return PemKeyFormats.pkcs1(block.der());
          case "EC PRIVATE KEY":
            return PemKeyFormats.sec1(block.der());
          default:
            throw new BadFile("the " + label + " block of " + file + " is in no format the driver reads: PRIVATE KEY"
                + " (PKCS #8), RSA PRIVATE KEY (PKCS #1) or EC PRIVATE KEY (SEC 1)");
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new BadFile("the " + label + " block of " + file + " does not decode: " + e.getMessage(), e);
      }
    }
    throw new BadFile(file + " holds no PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
  }

  /**
   * Adds a violation at {@code path} unless {@code file} is a readable PEM file of certificates: {@code must be a
   * PEM file of certificates, but /etc/ca.pem does not exist}.
   */
  public static void checkCertificates(String path, Path file, List<Violation> violations) {
    try {
      certificates(file);
    } catch (BadFile e) {
      violations.add(new Violation(path, "must be a PEM file of certificates, but " + e.getMessage()));
    }
  }

  /**
   * Adds violations at {@code <path>.certificate} and {@code <path>.privateKey} unless the files are readable PEM,
   * the key unencrypted, and the key the certificate's.
   */
  public static void checkKeyPair(String path, Path certificate, Path privateKey, List<Violation> violations) {
    List<X509Certificate> chain = null;
    PrivateKey key = null;
    try {
      chain = certificates(certificate);
    } catch (BadFile e) {
      violations.add(new Violation(path + ".certificate", "must be a PEM file of certificates, but " + e.getMessage()));
    }
    try {
      key = privateKey(privateKey);
    } catch (BadFile e) {
      violations.add(new Violation(path + ".privateKey", "must be a PEM file of an unencrypted private key, but "
          + e.getMessage()));
    }
    if (chain != null && key != null && !keyMatches(key, chain.get(0))) {
      violations.add(new Violation(path + ".privateKey", "must hold the key of the certificate in " + certificate
          + ", but " + privateKey + " holds another " + key.getAlgorithm().toUpperCase(Locale.ROOT) + " key"));
    }
  }

  /**
   * Returns whether {@code key} is the private half of {@code certificate}'s public key, by signing and
   * verifying a test message (what Go's {@code tls.X509KeyPair} checks by comparing the keys).
   */
  public static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
    String algorithm;
    switch (key.getAlgorithm()) {
      case "RSA":
        algorithm = "SHA256withRSA";
        break;
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      case "EdDSA":
      case "Ed25519":
      case "Ed448":
        algorithm = "EdDSA";
        break;
      default:
        return true; // RSASSA-PSS needs parameters to sign; the handshake will tell
    }
    byte[] message = "async-agent key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // such as an RSA key against an EC certificate
    }
  }

  /** Returns the PEM blocks of a file. */
  static List<Block> blocks(Path file) throws BadFile {
    if (!Files.exists(file)) {
      throw new BadFile(file + " does not exist");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new BadFile(file + " is not a readable file");
    }
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new BadFile(file + " cannot be read: " + e, e);
    }
    return blocks(file, text);
  }

  static List<Block> blocks(Path file, String text) throws BadFile {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      String body = matcher.group(2);
      String headers = "";
      int blankLine = body.indexOf(':') < 0 ? -1 : indexOfBlankLine(body);
      if (blankLine >= 0) {
        headers = body.substring(0, blankLine);
        body = body.substring(blankLine);
      }
      try {
        byte[] der = Base64.getDecoder().decode(WHITESPACE.matcher(body).replaceAll(""));
        blocks.add(new Block(matcher.group(1), headers, der));
      } catch (IllegalArgumentException e) {
        throw new BadFile("the " + matcher.group(1) + " block of " + file + " is not valid base64", e);
      }
    }
    return blocks;
  }

  private static int indexOfBlankLine(String body) {
    Matcher blank = BLANK_LINE.matcher(body);
    return blank.find() ? blank.end() : -1;
  }

  private static X509Certificate certificate(Path file, byte[] der) throws BadFile {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new BadFile("the CERTIFICATE block of " + file + " is not an X.509 certificate: " + e.getMessage(), e);
    }
  }
}
