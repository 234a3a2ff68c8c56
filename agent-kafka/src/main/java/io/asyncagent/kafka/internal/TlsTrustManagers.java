package io.asyncagent.kafka.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** The two trust managers of {@link ClientTlsContext}: one that explains its refusals, one that trusts all. */
final class TlsTrustManagers {
  private TlsTrustManagers() {}

  /**
   * The JDK's PKIX trust manager, with messages that say what is wrong with the broker's certificate. The
   * JDK's own ({@code PKIX path building failed: ... unable to find valid certification path to requested
   * target}) becomes the message of the handshake failure the agent reports; this one names the
   * certificate, its issuer and the problem first, and keeps the JDK's text after it.
   *
   * <p>The chain is checked on its own first and then for the connection (host name and algorithm
   * constraints), so the two kinds of failure can be told apart.
   */
  static final class Explaining extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final String trustedCas;

    Explaining(X509ExtendedTrustManager delegate, String trustedCas) {
      this.delegate = delegate;
      this.trustedCas = trustedCas;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
      try {
        delegate.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        throw forConnection(chain, engine == null ? null : engine.getPeerHost(), e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
      try {
        delegate.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        throw forConnection(chain, socket == null ? null : socket.getInetAddress().getHostName(), e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        throw untrusted(chain, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }

    private CertificateException untrusted(X509Certificate[] chain, CertificateException e) {
      if (chain == null || chain.length == 0) {
        return new CertificateException("the broker sent no certificate: " + e.getMessage(), e);
      }
      X509Certificate leaf = chain[0];
      Instant now = Instant.now();
      String problem;
      if (now.isAfter(leaf.getNotAfter().toInstant())) {
        problem = "expired at " + leaf.getNotAfter().toInstant();
      } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
        problem = "is not valid before " + leaf.getNotBefore().toInstant();
      } else {
        problem = "is not signed by a CA the agent trusts (it trusts " + trustedCas + ")";
      }
      return new CertificateException(describe(leaf) + " " + problem + ": " + e.getMessage(), e);
    }

    private static CertificateException forConnection(X509Certificate[] chain, String host,
        CertificateException e) {
      return new CertificateException(describe(chain[0]) + " is not valid for the broker address '" + host
          + "' (the host name is checked as HTTPS does): " + e.getMessage(), e);
    }

    private static String describe(X509Certificate leaf) {
      return "the broker's certificate '" + leaf.getSubjectX500Principal().getName() + "' (issued by '"
          + leaf.getIssuerX500Principal().getName() + "')";
    }
  }

  /** Accepts every certificate: {@code allow_insecure_connections}, Go's {@code InsecureSkipVerify}. */
  static final class Trusting extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NONE;
    }
  }
}
