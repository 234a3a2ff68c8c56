package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TestOAuthServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(URI uri, String basic, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (basic != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
    assertThat(matcher.find()).as("field %s in %s", name, json).isTrue();
    return matcher.group(1);
  }

  private static String decode(String base64Url) {
    return new String(Base64.getUrlDecoder().decode(base64Url), UTF_8);
  }

  @Test
  void grantsClientCredentialsWithAJwtTheJwksKeyVerifies() throws Exception {
    try (TestOAuthServer server = TestOAuthServer.builder().client("svc", "s3cret")
        .tokenLifetime(Duration.ofMinutes(5)).start()) {
      HttpResponse<String> response = post(server.tokenEndpoint(), "svc:s3cret",
          "grant_type=client_credentials&scope=kafka+read");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(field(response.body(), "token_type")).isEqualTo("Bearer");
      assertThat(field(response.body(), "expires_in")).isEqualTo("300");
      String[] jwt = field(response.body(), "access_token").split("\\.");
      assertThat(decode(jwt[0])).isEqualTo("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"test-key\"}");
      String claims = decode(jwt[1]);
      assertThat(field(claims, "sub")).isEqualTo("svc");
      assertThat(field(claims, "scope")).isEqualTo("kafka read");
      assertThat(Long.parseLong(field(claims, "exp")) - Long.parseLong(field(claims, "iat"))).isEqualTo(300);

      String jwks = http.send(HttpRequest.newBuilder(server.jwksEndpoint()).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
          new BigInteger(1, Base64.getUrlDecoder().decode(field(jwks, "n"))),
          new BigInteger(1, Base64.getUrlDecoder().decode(field(jwks, "e")))));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initVerify(key);
      signature.update((jwt[0] + "." + jwt[1]).getBytes(UTF_8));
      assertThat(signature.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
      assertThat(server.tokensIssued()).isEqualTo(1);
    }
  }

  @Test
  void refusesUnknownClientsWrongSecretsAndOtherGrants() throws Exception {
    try (TestOAuthServer server = TestOAuthServer.builder().client("svc", "s3cret").start()) {
      assertThat(post(server.tokenEndpoint(), "svc:wrong", "grant_type=client_credentials").statusCode())
          .isEqualTo(401);
      assertThat(post(server.tokenEndpoint(), "nobody:s3cret", "grant_type=client_credentials").body())
          .isEqualTo("{\"error\":\"invalid_client\"}");
      assertThat(post(server.tokenEndpoint(), "svc:s3cret", "grant_type=password").statusCode()).isEqualTo(400);
      assertThat(post(server.tokenEndpoint(), null, "grant_type=client_credentials").statusCode()).isEqualTo(400);
      assertThat(server.requestsRefused()).isEqualTo(4);
      assertThat(server.tokensIssued()).isZero();
    }
  }

  @Test
  void allowsItsJwksEndpointForTheBrokerInTheSameJvm() {
    try (TestOAuthServer server = TestOAuthServer.builder().start()) {
      assertThat(System.getProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls").split(","))
          .contains(server.jwksEndpoint().toString())
          .doesNotContain(server.tokenEndpoint().toString());
      assertThat(server.toString()).matches("TestOAuthServer\\[http://127\\.0\\.0\\.1:[0-9]+]");
    }
  }

  @Test
  void theBuilderRejectsBadValuesAtOnce() {
    assertThatThrownBy(() -> TestOAuthServer.builder().client("a:b", "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientId must be non-blank without ':', but was 'a:b'");
    assertThatThrownBy(() -> TestOAuthServer.builder().client("a", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientSecret of client 'a' must not be empty");
    assertThatThrownBy(() -> TestOAuthServer.builder().tokenLifetime(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenLifetime must be >= 1s, but was PT0.01S");
  }
}
