package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Secret;
import io.asyncagent.Violation;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SASL authentication to the brokers (KrakenD's {@code cluster.sasl}). Create one with a static factory,
 * or with {@link #builder()} for KrakenD's less common fields:
 *
 * <pre>{@code
 * Cluster.builder().brokers("kafka:9092").sasl(Sasl.scramSha512("johnsmith", "myp4ssword")).build();
 * }</pre>
 *
 * <p>Without {@link Cluster.Builder#clientTls(ClientTls) TLS} the connection is {@code SASL_PLAINTEXT}:
 * the password of PLAIN, and whatever the brokers send back, cross the network in clear. Use TLS outside
 * a lab.
 *
 * <p>Immutable, with value equality. The password (or OAuth client secret) is a {@link Secret}: it
 * never appears in {@code toString} or in an exception message.
 */
public final class Sasl {

  /** A SASL mechanism, by the names KrakenD and Kafka give it. */
  public enum Mechanism {
    /** SASL/PLAIN (RFC 4616): user and password, sent as they are. KrakenD's default. */
    PLAIN("PLAIN"),
    /** SCRAM-SHA-256 (RFC 5802, RFC 7677): the password is proven, never sent. */
    SCRAM_SHA_256("SCRAM-SHA-256"),
    /** SCRAM-SHA-512: as {@link #SCRAM_SHA_256}, with SHA-512. */
    SCRAM_SHA_512("SCRAM-SHA-512"),
    /**
     * OAUTHBEARER (RFC 7628) with an OAuth 2 client-credentials grant: the client fetches a token from
     * the {@link Builder#tokenEndpoint(URI) token endpoint} with its client id ({@link Builder#user})
     * and secret ({@link Builder#password}), and presents it to the brokers.
     */
    OAUTHBEARER("OAUTHBEARER");

    private final String kafkaName;

    Mechanism(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    /** {@return the value of Kafka's {@code sasl.mechanism} property, also KrakenD's name} */
    public String kafkaName() {
      return kafkaName;
    }

    /**
     * Returns the mechanism KrakenD's {@code sasl.mechanism} names, ignoring case: {@code PLAIN},
     * {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512} or {@code OAUTHBEARER}.
     *
     * @param name the name
     * @return the mechanism
     * @throws IllegalArgumentException naming the valid names, for any other
     * @throws NullPointerException if {@code name} is null
     */
    public static Mechanism fromKrakendName(String name) {
      requireNonNull(name, "name");
      for (Mechanism mechanism : values()) {
        if (mechanism.kafkaName.equalsIgnoreCase(name)) {
          return mechanism;
        }
      }
      throw new IllegalArgumentException("sasl.mechanism must be one of " + Arrays.stream(values())
          .map(Mechanism::kafkaName).collect(Collectors.joining(", ")) + ", but was '" + name + "'");
    }
  }

  private final Mechanism mechanism;
  private final String user;
  private final Secret password;
  private final String authIdentity;
  private final String scramAuthId;
  private final boolean azureEventHub;
  private final boolean handshake;
  private final URI tokenEndpoint;
  private final String scope;

  private Sasl(Builder builder) {
    this.mechanism = builder.mechanism;
    this.user = builder.user;
    this.password = builder.password;
    this.authIdentity = builder.authIdentity;
    this.scramAuthId = builder.scramAuthId;
    this.azureEventHub = builder.azureEventHub;
    this.handshake = builder.handshake;
    this.tokenEndpoint = builder.tokenEndpoint;
    this.scope = builder.scope;
  }

  /**
   * Returns SASL/PLAIN with a user and a password (KrakenD's default mechanism).
   *
   * @param user the user, not blank
   * @param password the password, not empty
   * @return the settings
   * @throws IllegalArgumentException if {@code user} is blank or {@code password} is empty
   * @throws NullPointerException if either is null
   */
  public static Sasl plain(String user, String password) {
    return builder().mechanism(Mechanism.PLAIN).user(user).password(password).build();
  }

  /**
   * Returns SCRAM-SHA-256 with a user and a password.
   *
   * @param user the user, not blank
   * @param password the password, not empty
   * @return the settings
   * @throws IllegalArgumentException if {@code user} is blank or {@code password} is empty
   * @throws NullPointerException if either is null
   */
  public static Sasl scramSha256(String user, String password) {
    return builder().mechanism(Mechanism.SCRAM_SHA_256).user(user).password(password).build();
  }

  /**
   * Returns SCRAM-SHA-512 with a user and a password.
   *
   * @param user the user, not blank
   * @param password the password, not empty
   * @return the settings
   * @throws IllegalArgumentException if {@code user} is blank or {@code password} is empty
   * @throws NullPointerException if either is null
   */
  public static Sasl scramSha512(String user, String password) {
    return builder().mechanism(Mechanism.SCRAM_SHA_512).user(user).password(password).build();
  }

  /**
   * Returns OAUTHBEARER with an OAuth 2 client-credentials grant against {@code tokenEndpoint}. See
   * {@link Builder#tokenEndpoint(URI)} for the JVM-wide allow-list Kafka checks the URL against.
   *
   * @param tokenEndpoint the token endpoint, an absolute http or https URL
   * @param clientId the OAuth client id, not blank
   * @param clientSecret the OAuth client secret, not empty
   * @return the settings
   * @throws IllegalArgumentException if {@code tokenEndpoint} is not an absolute http or https URL,
   *     {@code clientId} is blank or {@code clientSecret} is empty
   * @throws NullPointerException if any is null
   */
  public static Sasl oauthBearer(URI tokenEndpoint, String clientId, String clientSecret) {
    return builder().mechanism(Mechanism.OAUTHBEARER).tokenEndpoint(tokenEndpoint).user(clientId)
        .password(clientSecret).build();
  }

  /** {@return an empty builder with mechanism {@link Mechanism#PLAIN}; user and password are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.mechanism = mechanism;
    builder.user = user;
    builder.password = password;
    builder.authIdentity = authIdentity;
    builder.scramAuthId = scramAuthId;
    builder.azureEventHub = azureEventHub;
    builder.handshake = handshake;
    builder.tokenEndpoint = tokenEndpoint;
    builder.scope = scope;
    return builder;
  }

  /** {@return the mechanism ({@code mechanism})} */
  public Mechanism mechanism() {
    return mechanism;
  }

  /** {@return the user, SASL's authentication identity; the OAuth client id for OAUTHBEARER ({@code user})} */
  public String user() {
    return user;
  }

  /** {@return the password; the OAuth client secret for OAUTHBEARER ({@code password})} */
  public Secret password() {
    return password;
  }

  /** {@return KrakenD's {@code auth_identity}, if set; always equal to {@link #user()}} */
  public Optional<String> authIdentity() {
    return Optional.ofNullable(authIdentity);
  }

  /** {@return KrakenD's {@code scram_auth_id}, if set; always equal to {@link #user()}} */
  public Optional<String> scramAuthId() {
    return Optional.ofNullable(scramAuthId);
  }

  /** {@return KrakenD's {@code azure_event_hub}; it changes nothing here, see {@link Builder#azureEventHub}} */
  public boolean azureEventHub() {
    return azureEventHub;
  }

  /** {@return whether the SASL handshake is sent: always true, see {@link Builder#handshake}} */
  public boolean handshake() {
    return handshake;
  }

  /** {@return the OAuth token endpoint, set for {@link Mechanism#OAUTHBEARER} only} */
  public Optional<URI> tokenEndpoint() {
    return Optional.ofNullable(tokenEndpoint);
  }

  /** {@return the OAuth scope asked for, if set; OAUTHBEARER only} */
  public Optional<String> scope() {
    return Optional.ofNullable(scope);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sasl other
        && mechanism == other.mechanism
        && user.equals(other.user)
        && password.equals(other.password)
        && Objects.equals(authIdentity, other.authIdentity)
        && Objects.equals(scramAuthId, other.scramAuthId)
        && azureEventHub == other.azureEventHub
        && handshake == other.handshake
        && Objects.equals(tokenEndpoint, other.tokenEndpoint)
        && Objects.equals(scope, other.scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mechanism, user, password, authIdentity, scramAuthId, azureEventHub, handshake, tokenEndpoint,
        scope);
  }

  /** Returns the settings, with the password as {@code ****}. */
  @Override
  public String toString() {
    return "Sasl{mechanism=" + mechanism.kafkaName() + ", user=" + user + ", password=" + password
        + (authIdentity == null ? "" : ", authIdentity=" + authIdentity)
        + (scramAuthId == null ? "" : ", scramAuthId=" + scramAuthId)
        + (azureEventHub ? ", azureEventHub" : "")
        + (tokenEndpoint == null ? "" : ", tokenEndpoint=" + tokenEndpoint)
        + (scope == null ? "" : ", scope=" + scope)
        + "}";
  }

  /** Builds a {@link Sasl}. Each setter checks its value at once; {@link #build()} checks them together. */
  public static final class Builder {
    private static final String NO_AUTHZID =
        " (the Java client sends no separate authorization identity, and brokers refuse a different one)";

    private Mechanism mechanism = Mechanism.PLAIN;
    private String user;
    private Secret password;
    private String authIdentity;
    private String scramAuthId;
    private boolean azureEventHub;
    private boolean handshake = true;
    private URI tokenEndpoint;
    private String scope;

    private Builder() {}

    /**
     * Sets the mechanism (KrakenD's {@code mechanism}; Kafka's {@code sasl.mechanism}). Default
     * {@link Mechanism#PLAIN}.
     *
     * @param mechanism the mechanism
     * @return this builder
     * @throws NullPointerException if it is null
     */
    public Builder mechanism(Mechanism mechanism) {
      this.mechanism = requireNonNull(mechanism, "mechanism");
      return this;
    }

    /**
     * Sets the user (KrakenD's {@code user}): the SASL authentication identity, or the OAuth client id
     * for {@link Mechanism#OAUTHBEARER}. Required.
     *
     * @param user the user, not blank
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     * @throws NullPointerException if it is null
     */
    public Builder user(String user) {
      this.user = notBlank("sasl.user", user);
      return this;
    }

    /**
     * Sets the password (KrakenD's {@code password}), or the OAuth client secret for
     * {@link Mechanism#OAUTHBEARER}. Required. It is kept as a {@link Secret}.
     *
     * @param password the password, not empty
     * @return this builder
     * @throws IllegalArgumentException if it is empty
     * @throws NullPointerException if it is null
     */
    public Builder password(String password) {
      requireNonNull(password, "password");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("sasl.password must not be empty, but was ''");
      }
      this.password = Secret.of(password);
      return this;
    }

    /**
     * Sets KrakenD's {@code auth_identity}, PLAIN's authorization identity (RFC 4616). Default none.
     * Kafka's PLAIN login sends no authorization identity of its own and brokers refuse one that differs
     * from the user, so {@link #build()} accepts it only when it equals {@link #user}; it is then the
     * same as leaving it out.
     *
     * @param authIdentity the authorization identity, equal to {@code user} (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     * @throws NullPointerException if it is null
     */
    public Builder authIdentity(String authIdentity) {
      this.authIdentity = notBlank("sasl.authIdentity", authIdentity);
      return this;
    }

    /**
     * Sets KrakenD's {@code scram_auth_id}, SCRAM's authorization identity. Default none. As with
     * {@link #authIdentity}, {@link #build()} accepts it only when it equals {@link #user}.
     *
     * @param scramAuthId the authorization identity, equal to {@code user} (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     * @throws NullPointerException if it is null
     */
    public Builder scramAuthId(String scramAuthId) {
      this.scramAuthId = notBlank("sasl.scramAuthId", scramAuthId);
      return this;
    }

    /**
     * Sets KrakenD's {@code azure_event_hub}. Default false. Accepted so that a KrakenD configuration
     * loads, and changes nothing: in sarama it selects version 0 of the SASL handshake, which Azure Event
     * Hubs once needed, while the Java client negotiates the handshake version with the broker itself.
     *
     * @param azureEventHub KrakenD's value, kept for the record
     * @return this builder
     */
    public Builder azureEventHub(boolean azureEventHub) {
      this.azureEventHub = azureEventHub;
      return this;
    }

    /**
     * Sets whether the SASL handshake request is sent: KrakenD's {@code disable_handshake} (documented
     * as {@code disable_hanshake}), whose description and default {@code true} are sarama's
     * {@code Handshake} despite the name. Default true, the only value allowed: the Java client always
     * sends the handshake, as every broker since Kafka 0.10 expects.
     *
     * @param handshake {@code true}, the only value allowed
     * @return this builder
     * @throws IllegalArgumentException if it is false
     */
    public Builder handshake(boolean handshake) {
      if (!handshake) {
        throw new IllegalArgumentException(
            "sasl.handshake must be true (the Java client always sends the SASL handshake), but was false");
      }
      this.handshake = true;
      return this;
    }

    /**
     * Sets the OAuth 2 token endpoint, for {@link Mechanism#OAUTHBEARER} only (required there; our
     * {@code token_url}, which KrakenD lacks). Default none. The client posts a client-credentials grant
     * to it with {@link #user} and {@link #password} (Kafka's
     * {@code sasl.oauthbearer.token.endpoint.url}).
     *
     * <p>Kafka 4 fetches tokens only from URLs listed in the JVM-wide system property
     * {@code org.apache.kafka.sasl.oauthbearer.allowed.urls}. Configuring this URL is taken as the
     * permission: when the agent connects, the driver adds the URL to that property if it is absent, and
     * logs that once at INFO. The property is otherwise left as it is.
     *
     * @param tokenEndpoint the token endpoint, an absolute http or https URL
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute {@code http} or {@code https} URL
     * @throws NullPointerException if it is null
     */
    public Builder tokenEndpoint(URI tokenEndpoint) {
      requireNonNull(tokenEndpoint, "tokenEndpoint");
      String scheme = tokenEndpoint.getScheme() == null ? "" : tokenEndpoint.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || tokenEndpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "sasl.tokenEndpoint must be an absolute http or https URL, but was '" + tokenEndpoint + "'");
      }
      this.tokenEndpoint = tokenEndpoint;
      return this;
    }

    /**
     * Sets the OAuth scope asked for with the token, for {@link Mechanism#OAUTHBEARER} only (Kafka's
     * {@code sasl.oauthbearer.scope}). Default none: the identity provider's default scope.
     *
     * @param scope the scope, not blank
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     * @throws NullPointerException if it is null
     */
    public Builder scope(String scope) {
      this.scope = notBlank("sasl.scope", scope);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws InvalidConfigException listing every problem: {@code user} or {@code password} missing;
     *     {@code tokenEndpoint} missing for OAUTHBEARER, or {@code tokenEndpoint} or {@code scope} set
     *     for another mechanism; {@code authIdentity} or {@code scramAuthId} different from {@code user}
     */
    public Sasl build() {
      List<Violation> violations = new ArrayList<>();
      if (user == null) {
        violations.add(new Violation("sasl.user", "is required"));
      }
      if (password == null) {
        violations.add(new Violation("sasl.password", "is required"));
      }
      if (mechanism == Mechanism.OAUTHBEARER) {
        if (tokenEndpoint == null) {
          violations.add(new Violation("sasl.tokenEndpoint", "is required for mechanism OAUTHBEARER"));
        }
      } else {
        String onlyOauth = "is only for mechanism OAUTHBEARER, but mechanism is " + mechanism.kafkaName();
        if (tokenEndpoint != null) {
          violations.add(new Violation("sasl.tokenEndpoint", onlyOauth));
        }
        if (scope != null) {
          violations.add(new Violation("sasl.scope", onlyOauth));
        }
      }
      if (user != null && authIdentity != null && !authIdentity.equals(user)) {
        violations.add(new Violation("sasl.authIdentity",
            "must equal user '" + user + "'" + NO_AUTHZID + ", but was '" + authIdentity + "'"));
      }
      if (user != null && scramAuthId != null && !scramAuthId.equals(user)) {
        violations.add(new Violation("sasl.scramAuthId",
            "must equal user '" + user + "'" + NO_AUTHZID + ", but was '" + scramAuthId + "'"));
      }
      if (!violations.isEmpty()) {
        throw new InvalidConfigException("sasl", violations);
      }
      return new Sasl(this);
    }

    private static String notBlank(String name, String value) {
      requireNonNull(value, name.substring(name.indexOf('.') + 1));
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
      }
      return value;
    }
  }
}
