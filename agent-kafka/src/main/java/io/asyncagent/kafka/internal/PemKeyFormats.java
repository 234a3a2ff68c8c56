package io.asyncagent.kafka.internal;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;

/**
 * Decodes the three private-key encodings Go's {@code tls.X509KeyPair} takes. The JDK reads only PKCS #8,
 * so PKCS #1 (RSA) and SEC 1 (EC) keys are wrapped into PKCS #8 first: an algorithm identifier goes
 * around the key unchanged, which is all the difference between the formats. The little DER that takes
 * is written out here rather than pulled in as a dependency.
 */
final class PemKeyFormats {
  static final int SEQUENCE = 0x30;
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  private static final int EC_PARAMETERS = 0xa0;

  static final byte[] RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  private static final byte[] RSA_PSS = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0a};
  static final byte[] EC = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] ED25519 = {0x2b, 0x65, 0x70};
  private static final byte[] ED448 = {0x2b, 0x65, 0x71};
  private static final Map<String, byte[]> ALGORITHMS =
      Map.of("RSA", RSA, "RSASSA-PSS", RSA_PSS, "EC", EC, "Ed25519", ED25519, "Ed448", ED448);

  private PemKeyFormats() {}

  /** Decodes a PKCS #8 {@code PrivateKeyInfo} of an RSA, RSASSA-PSS, EC, Ed25519 or Ed448 key. */
  static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    Reader info = new Reader(der).enter(SEQUENCE);
    info.next(INTEGER);
    byte[] oid = info.enter(SEQUENCE).next(OID);
    for (Map.Entry<String, byte[]> algorithm : ALGORITHMS.entrySet()) {
      if (Arrays.equals(algorithm.getValue(), oid)) {
        return KeyFactory.getInstance(algorithm.getKey()).generatePrivate(new PKCS8EncodedKeySpec(der));
      }
    }
    throw new NoSuchAlgorithmException("the key's algorithm (OID " + dotted(oid) + ") is not RSA, EC or EdDSA");
  }

  /** Decodes a PKCS #1 {@code RSAPrivateKey}. */
  static PrivateKey pkcs1(byte[] der) throws GeneralSecurityException {
    new Reader(der).enter(SEQUENCE).next(INTEGER); // fails early on what is not a DER sequence
    byte[] algorithm = concat(tlv(OID, RSA), new byte[] {0x05, 0x00}); // rsaEncryption, NULL parameters
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrap(algorithm, der)));
  }

  /** Decodes a SEC 1 {@code ECPrivateKey}, which must name its curve (OpenSSL's always does). */
  static PrivateKey sec1(byte[] der) throws GeneralSecurityException {
    Reader key = new Reader(der).enter(SEQUENCE);
    key.next(INTEGER);
    key.next(OCTET_STRING);
    byte[] curve = null;
    while (key.hasMore()) {
      int tag = key.peekTag();
      byte[] value = key.next(tag);
      if (tag == EC_PARAMETERS) {
        curve = new Reader(value).next(OID);
      }
    }
    if (curve == null) {
      throw new GeneralSecurityException("the EC key does not name its curve");
    }
    byte[] algorithm = concat(tlv(OID, EC), tlv(OID, curve));
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(wrap(algorithm, der)));
  }

  /** Returns a PKCS #8 {@code PrivateKeyInfo}: version 0, the algorithm identifier, the key. */
  private static byte[] wrap(byte[] algorithmIdentifierContent, byte[] key) {
    return tlv(SEQUENCE, concat(new byte[] {INTEGER, 0x01, 0x00}, tlv(SEQUENCE, algorithmIdentifierContent),
        tlv(OCTET_STRING, key)));
  }

  /** Returns the DER encoding of one item. */
  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static String dotted(byte[] oid) {
    if (oid.length == 0) {
      return "";
    }
    StringBuilder text = new StringBuilder().append((oid[0] & 0xff) / 40).append('.').append((oid[0] & 0xff) % 40);
    long arc = 0;
    for (int i = 1; i < oid.length; i++) {
      arc = (arc << 7) | (oid[i] & 0x7f);
      if ((oid[i] & 0x80) == 0) {
        text.append('.').append(arc);
        arc = 0;
      }
    }
    return text.toString();
  }

  /** Reads DER tag-length-value items one after the other; throws on anything unexpected. */
  static final class Reader {
    private final byte[] der;
    private int position;
    private final int end;

    Reader(byte[] der) {
      this(der, 0, der.length);
    }

    private Reader(byte[] der, int start, int end) {
      this.der = der;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    int peekTag() throws GeneralSecurityException {
      if (position >= end) {
        throw new GeneralSecurityException("truncated DER");
      }
      return der[position] & 0xff;
    }

    /** Returns the value of the next item, which must have {@code tag}. */
    byte[] next(int tag) throws GeneralSecurityException {
      int[] bounds = item(tag);
      position = bounds[1];
      return Arrays.copyOfRange(der, bounds[0], bounds[1]);
    }

    /** Returns a reader over the value of the next item, which must have {@code tag}. */
    Reader enter(int tag) throws GeneralSecurityException {
      int[] bounds = item(tag);
      position = bounds[1];
      return new Reader(der, bounds[0], bounds[1]);
    }

    private int[] item(int tag) throws GeneralSecurityException {
      if (peekTag() != tag) {
        throw new GeneralSecurityException(
            String.format("malformed DER: expected tag 0x%02x, found 0x%02x", tag, peekTag()));
      }
      int at = position + 1;
      if (at >= end) {
        throw new GeneralSecurityException("truncated DER");
      }
      int length = der[at++] & 0xff;
      if (length >= 0x80) {
        int bytes = length & 0x7f;
        if (bytes == 0 || bytes > 3 || at + bytes > end) {
          throw new GeneralSecurityException("malformed DER length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[at++] & 0xff);
        }
      }
      if (at + length > end) {
        throw new GeneralSecurityException("truncated DER");
      }
      return new int[] {at, at + length};
    }
  }
}
