package io.asyncagent.kafka.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * KrakenD's {@code cipher_suites} and {@code curve_preferences} are Go's IANA numbers; the JDK wants names.
 * These tables hold the suites Go's crypto/tls offers that are not broken (no RC4, no 3DES), and the
 * named groups both sides know.
 */
public final class TlsNames {
  private static final Map<Integer, String> TLS13_SUITES = ordered(
      0x1301, "TLS_AES_128_GCM_SHA256",
      0x1302, "TLS_AES_256_GCM_SHA384",
      0x1303, "TLS_CHACHA20_POLY1305_SHA256");

  private static final Map<Integer, String> TLS12_SUITES = ordered(
      0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA",
      0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA",
      0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256",
      0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256",
      0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384",
      0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
      0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Map<Integer, String> GROUPS = ordered(
      23, "secp256r1",
      24, "secp384r1",
      25, "secp521r1",
      29, "x25519",
      30, "x448",
      256, "ffdhe2048",
      257, "ffdhe3072",
      258, "ffdhe4096",
      259, "ffdhe6144",
      260, "ffdhe8192");

  private TlsNames() {}

  /** Returns the JDK's name of the cipher suite with IANA number {@code id}, if it is one of ours. */
  public static Optional<String> cipherSuite(int id) {
    return Optional.ofNullable(TLS13_SUITES.getOrDefault(id, TLS12_SUITES.get(id)));
  }

  /** Returns whether {@code id} is a TLS 1.3 suite (4865 to 4867), which no older version uses. */
  public static boolean isTls13Suite(int id) {
    return TLS13_SUITES.containsKey(id);
  }

  /** Returns the JDK names of every TLS 1.3 suite, for when a list names only older ones. */
  public static List<String> tls13Suites() {
    return List.copyOf(TLS13_SUITES.values());
  }

  /** Returns the supported suite numbers in ascending order, for messages. */
  public static String knownCipherSuites() {
    return sortedKeys(TLS12_SUITES.keySet(), TLS13_SUITES.keySet());
  }

  /** Returns the JDK's (and the IANA registry's) name of the named group {@code id}, if it is one of ours. */
  public static Optional<String> namedGroup(int id) {
    return Optional.ofNullable(GROUPS.get(id));
  }

  /** Returns the supported groups as {@code 23 (secp256r1), 24 (secp384r1), ...}, for messages. */
  public static String knownNamedGroups() {
    return GROUPS.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining(", "));
  }

  private static String sortedKeys(Set<Integer> a, Set<Integer> b) {
    return Stream.concat(a.stream(), b.stream()).sorted().map(String::valueOf)
        .collect(Collectors.joining(", "));
  }

  private static Map<Integer, String> ordered(Object... pairs) {
    Map<Integer, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((Integer) pairs[i], (String) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
