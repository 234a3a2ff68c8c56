package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Secret;
import io.asyncagent.Violation;
import java.net.URI;
import org.junit.jupiter.api.Test;

class SaslTest {
  private static final URI TOKEN_URL = URI.create("https://idp.example/oauth2/token");

  @Test
  void staticFactoriesSetTheMechanismUserAndPassword() {
    assertThat(Sasl.plain("alice", "pw").mechanism()).isEqualTo(Sasl.Mechanism.PLAIN);
    assertThat(Sasl.scramSha256("alice", "pw").mechanism()).isEqualTo(Sasl.Mechanism.SCRAM_SHA_256);
    assertThat(Sasl.scramSha512("alice", "pw").mechanism()).isEqualTo(Sasl.Mechanism.SCRAM_SHA_512);
    Sasl oauth = Sasl.oauthBearer(TOKEN_URL, "client", "secret");
    assertThat(oauth.mechanism()).isEqualTo(Sasl.Mechanism.OAUTHBEARER);
    assertThat(oauth.user()).isEqualTo("client");
    assertThat(oauth.password()).isEqualTo(Secret.of("secret"));
    assertThat(oauth.tokenEndpoint()).contains(TOKEN_URL);
    assertThat(oauth.scope()).isEmpty();
  }

  @Test
  void theDefaultsAreKrakendsPlainWithTheHandshakeAndNoExtras() {
    Sasl sasl = Sasl.builder().user("alice").password("pw").build();

    assertThat(sasl).isEqualTo(Sasl.plain("alice", "pw"));
    assertThat(sasl.handshake()).isTrue();
    assertThat(sasl.azureEventHub()).isFalse();
    assertThat(sasl.authIdentity()).isEmpty();
    assertThat(sasl.scramAuthId()).isEmpty();
    assertThat(sasl.tokenEndpoint()).isEmpty();
  }

  @Test
  void mechanismsAreFoundByKrakendsNamesIgnoringCase() {
    assertThat(Sasl.Mechanism.fromKrakendName("PLAIN")).isEqualTo(Sasl.Mechanism.PLAIN);
    assertThat(Sasl.Mechanism.fromKrakendName("scram-sha-256")).isEqualTo(Sasl.Mechanism.SCRAM_SHA_256);
    assertThat(Sasl.Mechanism.fromKrakendName("SCRAM-SHA-512")).isEqualTo(Sasl.Mechanism.SCRAM_SHA_512);
    assertThat(Sasl.Mechanism.fromKrakendName("OAuthBearer")).isEqualTo(Sasl.Mechanism.OAUTHBEARER);
    assertThat(Sasl.Mechanism.SCRAM_SHA_512.kafkaName()).isEqualTo("SCRAM-SHA-512");
    assertThatThrownBy(() -> Sasl.Mechanism.fromKrakendName("GSSAPI"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, but was 'GSSAPI'");
  }

  @Test
  void settersRejectBadValuesAtOnce() {
    Sasl.Builder builder = Sasl.builder();
    assertThatThrownBy(() -> builder.user(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sasl.user must not be blank, but was ' '");
    assertThatThrownBy(() -> builder.password(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sasl.password must not be empty, but was ''");
    assertThatThrownBy(() -> builder.authIdentity(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sasl.authIdentity must not be blank, but was ''");
    assertThatThrownBy(() -> builder.scramAuthId("\t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sasl.scramAuthId must not be blank, but was '\t'");
    assertThatThrownBy(() -> builder.scope(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sasl.scope must not be blank, but was ''");
    assertThatThrownBy(() -> builder.handshake(false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sasl.handshake must be true (the Java client always sends the SASL handshake), but was false");
    assertThatThrownBy(() -> builder.tokenEndpoint(URI.create("file:///tmp/token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sasl.tokenEndpoint must be an absolute http or https URL, but was 'file:///tmp/token'");
    assertThatThrownBy(() -> builder.tokenEndpoint(URI.create("/token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sasl.tokenEndpoint must be an absolute http or https URL, but was '/token'");
    assertThatThrownBy(() -> builder.user(null)).isInstanceOf(NullPointerException.class).hasMessage("user");
    assertThatThrownBy(() -> builder.password(null)).isInstanceOf(NullPointerException.class).hasMessage("password");
    assertThatThrownBy(() -> builder.mechanism(null)).isInstanceOf(NullPointerException.class).hasMessage("mechanism");
  }

  @Test
  void buildListsEveryCrossFieldProblemWithItsPath() {
    InvalidConfigException thrown = catchThrowableOfType(InvalidConfigException.class,
        () -> Sasl.builder().mechanism(Sasl.Mechanism.SCRAM_SHA_512).tokenEndpoint(TOKEN_URL).scope("kafka").build());

    assertThat(thrown.violations()).containsExactly(
        new Violation("sasl.user", "is required"),
        new Violation("sasl.password", "is required"),
        new Violation("sasl.tokenEndpoint", "is only for mechanism OAUTHBEARER, but mechanism is SCRAM-SHA-512"),
        new Violation("sasl.scope", "is only for mechanism OAUTHBEARER, but mechanism is SCRAM-SHA-512"));
    assertThat(thrown).hasMessage("invalid sasl (4 problems):\n"
        + "  sasl.user: is required\n"
        + "  sasl.password: is required\n"
        + "  sasl.tokenEndpoint: is only for mechanism OAUTHBEARER, but mechanism is SCRAM-SHA-512\n"
        + "  sasl.scope: is only for mechanism OAUTHBEARER, but mechanism is SCRAM-SHA-512");
  }

  @Test
  void oauthBearerNeedsATokenEndpoint() {
    assertThatThrownBy(() -> Sasl.builder().mechanism(Sasl.Mechanism.OAUTHBEARER).user("c").password("s").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid sasl: sasl.tokenEndpoint: is required for mechanism OAUTHBEARER");
  }

  @Test
  void anAuthorizationIdentityMustBeTheUserForTheJavaClientSendsNoOther() {
    assertThat(Sasl.builder().user("alice").password("pw").authIdentity("alice").scramAuthId("alice").build()
        .authIdentity()).contains("alice");
    assertThatThrownBy(() -> Sasl.builder().user("alice").password("pw").authIdentity("admin").scramAuthId("root")
        .build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid sasl (2 problems):\n"
            + "  sasl.authIdentity: must equal user 'alice' (the Java client sends no separate authorization"
            + " identity, and brokers refuse a different one), but was 'admin'\n"
            + "  sasl.scramAuthId: must equal user 'alice' (the Java client sends no separate authorization"
            + " identity, and brokers refuse a different one), but was 'root'");
  }

  @Test
  void azureEventHubIsAcceptedAndKept() {
    Sasl sasl = Sasl.builder().user("alice").password("pw").azureEventHub(true).handshake(true).build();

    assertThat(sasl.azureEventHub()).isTrue();
    assertThat(sasl).isNotEqualTo(Sasl.plain("alice", "pw"));
    assertThat(sasl.toString()).isEqualTo("Sasl{mechanism=PLAIN, user=alice, password=****, azureEventHub}");
  }

  @Test
  void valueEqualityCoversEveryFieldAndToBuilderRoundTrips() {
    Sasl oauth = Sasl.builder().mechanism(Sasl.Mechanism.OAUTHBEARER).tokenEndpoint(TOKEN_URL).scope("kafka")
        .user("client").password("secret").authIdentity("client").build();

    assertThat(oauth.toBuilder().build()).isEqualTo(oauth).hasSameHashCodeAs(oauth);
    assertThat(oauth.toBuilder().scope("other").build()).isNotEqualTo(oauth);
    assertThat(oauth.toBuilder().password("other").build()).isNotEqualTo(oauth);
    assertThat(Sasl.scramSha256("u", "p")).isNotEqualTo(Sasl.scramSha512("u", "p"));
  }

  @Test
  void toStringNeverShowsThePasswordOrClientSecret() {
    Sasl oauth = Sasl.builder().mechanism(Sasl.Mechanism.OAUTHBEARER).tokenEndpoint(TOKEN_URL).scope("kafka")
        .user("client").password("very-secret").build();

    assertThat(oauth.toString())
        .isEqualTo("Sasl{mechanism=OAUTHBEARER, user=client, password=****,"
            + " tokenEndpoint=https://idp.example/oauth2/token, scope=kafka}")
        .doesNotContain("very-secret");
  }
}
