package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.DeliveryFailure.Next;
import io.asyncagent.DeliveryFailure.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DeliveryFailureTest {
  private static final Coordinates AT = new Coordinates("orders", 3, 42);

  @Test
  void classifiesATimeoutBeforeAnythingElse() {
    assertThat(Reason.of(new DeliveryTimeoutException(AT, Duration.ofSeconds(2)))).isEqualTo(Reason.TIMEOUT);
  }

  @Test
  void classifiesAnAnswerWithAStatusAsStatusEvenWithAnIoCause() {
    DeliveryFailure failure = DeliveryFailure.of(
        new DeliveryException("HTTP 503", true, 503, new IOException("reset")), Next.RETRY);

    assertThat(failure.reason()).isEqualTo(Reason.STATUS);
    assertThat(failure.status()).hasValue(503);
    assertThat(failure.isRetriable()).isTrue();
    assertThat(failure.next()).isEqualTo(Next.RETRY);
  }

  @Test
  void classifiesAnIoExceptionAnywhereInTheCausesAsConnection() {
    assertThat(Reason.of(new DeliveryException("POST http://b failed", true, new ConnectException("refused"))))
        .isEqualTo(Reason.CONNECTION);
    assertThat(Reason.of(new CompletionException(new IOException("broken pipe")))).isEqualTo(Reason.CONNECTION);
    assertThat(Reason.of(new IOException("unknown host"))).isEqualTo(Reason.CONNECTION);
  }

  @Test
  void classifiesADeliveryExceptionWithoutStatusOrIoCauseAsRejected() {
    DeliveryFailure failure = DeliveryFailure.of(new DeliveryException("duplicate key", false), Next.DEAD_LETTER);

    assertThat(failure.reason()).isEqualTo(Reason.REJECTED);
    assertThat(failure.status()).isEmpty();
    assertThat(failure.isRetriable()).isFalse();
  }

  @Test
  void classifiesAnyOtherThrowableAsExceptionAndRetriable() {
    DeliveryFailure failure = DeliveryFailure.of(new NullPointerException("sink returned null"), Next.SKIP);

    assertThat(failure.reason()).isEqualTo(Reason.EXCEPTION);
    assertThat(failure.isRetriable()).isTrue();
    assertThat(failure).hasToString(
        "DeliveryFailure{EXCEPTION, next SKIP, java.lang.NullPointerException: sink returned null}");
  }

  @Test
  void describesTheStatusInToString() {
    assertThat(DeliveryFailure.of(new DeliveryException("HTTP 404", false, 404, null), Next.DROP))
        .hasToString("DeliveryFailure{STATUS 404, next DROP, io.asyncagent.DeliveryException: HTTP 404}");
  }

  @Test
  void aDeliveryAttemptChecksItsPartsAndShowsNoContent() {
    Event event = Event.builder("orders", 3, 42).body("secret body".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .build();

    assertThat(DeliveryAttempt.of(event, 2, Duration.ofMillis(15)))
        .hasToString("DeliveryAttempt{orders-3@42, #2, took 15ms}")
        .isEqualTo(DeliveryAttempt.of(event, 2, Duration.ofMillis(15)));
    assertThatThrownBy(() -> DeliveryAttempt.of(event, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("number must be >= 1, but was 0");
    assertThatThrownBy(() -> DeliveryAttempt.of(event, 1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("took must be >= 0, but was PT-0.001S");
  }
}
