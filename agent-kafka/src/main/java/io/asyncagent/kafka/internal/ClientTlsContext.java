package io.asyncagent.kafka.internal;

import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.ClientTls.ClientCert;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK's {@link SSLContext} for a {@link ClientTls}: trust anchors from the JDK's trust store and the
 * PEM CA files, key material from the PEM client certificates. Both stores live in memory only.
 */
final class ClientTlsContext {
  /** Protects nothing: the stores never reach a file, but PKCS #12 insists on a password. */
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  final SSLContext sslContext;
  final KeyStore truststore;
  final Optional<KeyStore> keystore;

  private ClientTlsContext(SSLContext sslContext, KeyStore truststore, Optional<KeyStore> keystore) {
    this.sslContext = sslContext;
    this.truststore = truststore;
    this.keystore = keystore;
  }

  /** Reads the files of {@code tls} and builds its context. */
  static ClientTlsContext create(ClientTls tls) throws PemFiles.BadFile, GeneralSecurityException {
    KeyStore truststore = truststore(tls);
    Optional<KeyStore> keystore = keystore(tls.clientCerts());
    KeyManager[] keyManagers = null;
    if (keystore.isPresent()) {
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(keystore.get(), IN_MEMORY);
      keyManagers = keys.getKeyManagers();
    }
    TrustManager trust;
    if (tls.allowInsecureConnections()) {
      trust = new TlsTrustManagers.Trusting();
    } else {
      TrustManagerFactory anchors = TrustManagerFactory.getInstance("PKIX");
      anchors.init(truststore);
      trust = new TlsTrustManagers.Explaining(extended(anchors.getTrustManagers()), trustedCas(tls));
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, new TrustManager[] {trust}, null);
    return new ClientTlsContext(context, truststore, keystore);
  }

  private static KeyStore truststore(ClientTls tls) throws PemFiles.BadFile, GeneralSecurityException {
    KeyStore store = emptyStore();
    int n = 0;
    if (!tls.disableSystemCaPool()) {
      TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      for (TrustManager manager : system.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate ca : x509.getAcceptedIssuers()) {
            store.setCertificateEntry("system-" + n++, ca);
          }
        }
      }
    }
    for (int i = 0; i < tls.caCerts().size(); i++) {
      int j = 0;
      for (X509Certificate ca : PemFiles.certificates(tls.caCerts().get(i))) {
        store.setCertificateEntry("ca-certs-" + i + "-" + j++, ca);
      }
    }
    return store;
  }

  private static Optional<KeyStore> keystore(List<ClientCert> clientCerts)
      throws PemFiles.BadFile, GeneralSecurityException {
    if (clientCerts.isEmpty()) {
      return Optional.empty();
    }
    KeyStore store = emptyStore();
    for (int i = 0; i < clientCerts.size(); i++) {
      ClientCert clientCert = clientCerts.get(i);
      List<X509Certificate> chain = PemFiles.certificates(clientCert.certificate());
      PrivateKey key = PemFiles.privateKey(clientCert.privateKey());
      store.setKeyEntry("client-certs-" + i, key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
    }
    return Optional.of(store);
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory key store", e);
    }
    return store;
  }

  private static X509ExtendedTrustManager extended(TrustManager[] managers) throws GeneralSecurityException {
    for (TrustManager manager : managers) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        return extended;
      }
    }
    throw new GeneralSecurityException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
  }

  private static String trustedCas(ClientTls tls) {
    if (tls.disableSystemCaPool()) {
      return "only those of clientTls.caCerts";
    }
    return tls.caCerts().isEmpty() ? "the JDK's" : "the JDK's and those of clientTls.caCerts";
  }
}
