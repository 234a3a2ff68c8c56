package io.asyncagent.http.internal;

import io.asyncagent.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured host: its URL without credentials, and the credentials it carried, if any. Like Go's
 * HTTP client (and so KrakenD), {@code http://user:password@host} sends Basic authentication; unlike a
 * plain {@link URI}, this never prints the password.
 */
public final class Target {
  private final URI base;
  private final Secret authorization;

  private Target(URI base, Secret authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /**
   * Parses a host such as {@code http://billing:8080} or {@code https://user:pass@billing}.
   *
   * @param field the name to use in messages, such as {@code host[0]}
   * @throws IllegalArgumentException if it is not an http(s) URL with a host name and without a path
   */
  public static Target parse(String field, String host) {
    URI uri;
    try {
      uri = new URI(host);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + " must be a URL such as http://billing:8080, but was '"
          + redact(host) + "': " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(field + " must start with http:// or https://, but was '" + redact(host) + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          field + " must name a host, such as http://billing:8080, but was '" + redact(host) + "'");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(field + " must not have a path, query or fragment (put the path in "
          + "urlPattern), but was '" + redact(host) + "'");
    }
    URI base = URI.create(scheme + "://" + uri.getRawAuthority().substring(
        uri.getRawUserInfo() == null ? 0 : uri.getRawUserInfo().length() + 1));
    return new Target(base, uri.getRawUserInfo() == null ? null : basic(uri.getRawUserInfo()));
  }

  /** Returns the URL without credentials, such as {@code http://billing:8080}. */
  public URI base() {
    return base;
  }

  /** Returns the {@code Authorization} header value the host's credentials make, if it had any. */
  public Optional<Secret> authorization() {
    return Optional.ofNullable(authorization);
  }

  /** Returns the URL as it may be printed: credentials, if any, as {@code ****}. */
  public String display() {
    return authorization == null ? base.toString() : base.getScheme() + "://****@" + base.getRawAuthority();
  }

  private static Secret basic(String rawUserInfo) {
    String userInfo = URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    return Secret.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
  }

  /** The text of a host for a message: whatever stands before an '@' is hidden. */
  private static String redact(String host) {
    int at = host.lastIndexOf('@');
    int scheme = host.indexOf("://");
    return at < 0 ? host : host.substring(0, scheme < 0 ? 0 : scheme + 3) + "****" + host.substring(at);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target other && base.equals(other.base) && Objects.equals(authorization, other.authorization);
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, authorization);
  }

  @Override
  public String toString() {
    return display();
  }
}
