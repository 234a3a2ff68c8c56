package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OAuth 2 identity provider on loopback for OAUTHBEARER tests: a token endpoint that grants client-credentials
 * requests of its registered clients, and a JWKS endpoint with the public key that signs the tokens (RS256, JDK
 * crypto). Hand it to {@link EmbeddedKafka.Builder#oauthBearer(TestOAuthServer)} so the broker validates the tokens,
 * and its {@link #tokenEndpoint()} to the client.
 *
 * <p>Tokens are JWTs with {@code iss} (the server's base URL), {@code sub} (the client id), {@code iat}, {@code exp}
 * and {@code scope} (as requested; absent when none was). A request with an unknown client or a wrong secret gets
 * HTTP 401 and {@code {"error":"invalid_client"}}.
 *
 * <p>kafka-clients 4 contacts only URLs listed in the JVM-wide system property {@code
 * org.apache.kafka.sasl.oauthbearer.allowed.urls}. {@link Builder#start()} adds {@link #jwksEndpoint()} to it, since
 * the broker in the same JVM fetches the keys from there; allowing {@link #tokenEndpoint()} is left to the client
 * under test. Thread-safe; close it after the broker.
 */
public final class TestOAuthServer implements AutoCloseable {
  /** The system property kafka-clients checks OAuth URLs against. */
  static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  private static final String KEY_ID = "test-key";

  private final HttpServer server;
  private final KeyPair keys;
  private final Map<String, String> clients;
  private final Duration tokenLifetime;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger requestsRefused = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestOAuthServer(HttpServer server, KeyPair keys, Map<String, String> clients, Duration tokenLifetime) {
    this.server = server;
    this.keys = keys;
    this.clients = Map.copyOf(clients);
    this.tokenLifetime = tokenLifetime;
  }

  /**
   * Returns a builder for a server with its clients.
   *
   * @return a new builder: no clients, tokens valid for an hour
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the token endpoint, where clients post {@code grant_type=client_credentials} with HTTP Basic
   * authentication.
   *
   * @return such as {@code http://127.0.0.1:41234/token}
   */
  public URI tokenEndpoint() {
    return base().resolve("/token");
  }

  /**
   * Returns the JWKS endpoint with the key that signs the tokens.
   *
   * @return such as {@code http://127.0.0.1:41234/jwks}
   */
  public URI jwksEndpoint() {
    return base().resolve("/jwks");
  }

  /**
   * Returns how many tokens the server has issued.
   *
   * @return the count since start
   */
  public int tokensIssued() {
    return tokensIssued.get();
  }

  /**
   * Returns how many token requests the server refused (unknown client, wrong secret, not a client-credentials grant).
   *
   * @return the count since start
   */
  public int requestsRefused() {
    return requestsRefused.get();
  }

  /** Stops the server at once. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
    }
  }

  /** Returns {@code TestOAuthServer[http://127.0.0.1:41234]}. */
  @Override
  public String toString() {
    return "TestOAuthServer[" + base().toString().replaceAll("/$", "") + "]";
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void token(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
    Map<String, String> form = form(body);
    String clientId = basicUser(exchange.getRequestHeaders().getFirst("Authorization"));
    if (!"POST".equals(exchange.getRequestMethod()) || !"client_credentials".equals(form.get("grant_type"))
        || clientId == null) {
      requestsRefused.incrementAndGet();
      respond(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    if (clientId.isEmpty()) {
      requestsRefused.incrementAndGet();
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    Instant now = Instant.now();
    String jwt;
    try {
      jwt = jwt(clientId, form.getOrDefault("scope", ""), now);
    } catch (GeneralSecurityException e) {
      respond(exchange, 500, "{\"error\":\"server_error\"}");
      return;
    }
    tokensIssued.incrementAndGet();
    respond(exchange, 200, "{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":"
        + tokenLifetime.toSeconds() + "}");
  }

  /** Returns the authenticated client id, {@code ""} for bad credentials, or null without Basic authentication. */
  private String basicUser(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String id = decoded.substring(0, colon);
    String secret = decoded.substring(colon + 1);
    return secret.equals(clients.get(id)) ? id : "";
  }

  private String jwt(String subject, String scope, Instant now) throws GeneralSecurityException {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
    String payload = "{\"iss\":\"" + base() + "\",\"sub\":\"" + json(subject) + "\",\"iat\":" + now.getEpochSecond()
        + ",\"exp\":" + now.plus(tokenLifetime).getEpochSecond()
        // Kafka's client refuses a token whose scope claim is empty, so it is left out when none was asked for.
        + (scope.isEmpty() ? "" : ",\"scope\":\"" + json(scope) + "\"") + "}";
    String signingInput = base64Url(header.getBytes(UTF_8)) + "." + base64Url(payload.getBytes(UTF_8));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(keys.getPrivate());
    signature.update(signingInput.getBytes(UTF_8));
    return signingInput + "." + base64Url(signature.sign());
  }

  private void jwks(HttpExchange exchange) throws IOException {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    respond(exchange, 200, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID
        + "\",\"n\":\"" + base64Url(unsigned(key.getModulus())) + "\",\"e\":\""
        + base64Url(unsigned(key.getPublicExponent())) + "\"}]}");
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(URLDecoder.decode(pair.substring(0, equals), UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), UTF_8));
      }
    }
    return form;
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String json(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Adds {@code url} to the JVM's allow-list of OAuth URLs unless it is there. */
  static synchronized void allowUrl(String url) {
    String allowed = System.getProperty(ALLOWED_URLS, "");
    if (Arrays.stream(allowed.split(",")).map(String::trim).noneMatch(url::equals)) {
      System.setProperty(ALLOWED_URLS, allowed.isBlank() ? url : allowed + "," + url);
    }
  }

  /** Configures a {@link TestOAuthServer}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> clients = new LinkedHashMap<>();
    private Duration tokenLifetime = Duration.ofHours(1);

    private Builder() {}

    /**
     * Registers a client that may obtain tokens. Calling it again for the same id replaces the secret.
     *
     * @param clientId the client id, not blank and without {@code :}
     * @param clientSecret the secret, not empty
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code clientId} is blank or has a colon, or {@code clientSecret} is empty
     */
    public Builder client(String clientId, String clientSecret) {
      requireNonNull(clientId, "clientId");
      requireNonNull(clientSecret, "clientSecret");
      if (clientId.isBlank() || clientId.contains(":")) {
        throw new IllegalArgumentException("clientId must be non-blank without ':', but was '" + clientId + "'");
      }
      if (clientSecret.isEmpty()) {
        throw new IllegalArgumentException("clientSecret of client '" + clientId + "' must not be empty");
      }
      clients.put(clientId, clientSecret);
      return this;
    }

    /**
     * Sets how long tokens are valid. Default one hour.
     *
     * @param tokenLifetime at least one second
     * @return this builder
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException {@code tokenLifetime must be >= 1s, but was PT0S}
     */
    public Builder tokenLifetime(Duration tokenLifetime) {
      requireNonNull(tokenLifetime, "tokenLifetime");
      if (tokenLifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("tokenLifetime must be >= 1s, but was " + tokenLifetime);
      }
      this.tokenLifetime = tokenLifetime;
      return this;
    }

    /**
     * Starts the server on a free loopback port and allows its JWKS endpoint in the JVM's OAuth allow-list.
     *
     * @return the running server; close it when done
     * @throws IllegalStateException if the port cannot be bound or no RSA key can be made
     */
    public TestOAuthServer start() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TestOAuthServer server = new TestOAuthServer(http, generator.generateKeyPair(), clients, tokenLifetime);
        http.createContext("/token", server::token);
        http.createContext("/jwks", server::jwks);
        http.start();
        allowUrl(server.jwksEndpoint().toString());
        return server;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot start the test OAuth server: " + e, e);
      }
    }
  }
}
