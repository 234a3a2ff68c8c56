package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TcpProxy} in front of an echo server on loopback. */
class TcpProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private EchoServer echo;
  private TcpProxy proxy;

  @BeforeEach
  void startAnEchoServerBehindAProxy() throws IOException {
    echo = new EchoServer();
    proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", echo.port()));
  }

  @AfterEach
  void stopThem() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void passForwardsBothWaysAndCountsTheBytes() throws IOException {
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "hello")).isEqualTo("hello");
    }

    assertThat(proxy.mode()).isEqualTo(TcpProxy.Mode.PASS);
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
    assertThat(proxy.bytesForwarded()).isEqualTo(10);
    assertThat(proxy.address()).isEqualTo("127.0.0.1:" + proxy.port());
  }

  @Test
  void delayHoldsEachChunkThatLongInEachDirection() throws IOException {
    proxy.delay(Duration.ofMillis(200));
    try (Socket client = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(client, "slow")).isEqualTo("slow");

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }
    assertThat(proxy.toString()).contains("DELAY PT0.2S");
  }

  @Test
  void aBlackHoleForwardsNothingAndReleasesWhatItHeldInOrderWhenItPassesAgain() throws IOException {
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "before")).isEqualTo("before");
      proxy.blackHole();
      client.getOutputStream().write("held-1 held-2".getBytes(UTF_8));
      long wrote = System.nanoTime();
      Await.until(WAIT, () -> System.nanoTime() - wrote >= TimeUnit.MILLISECONDS.toNanos(300), "300 ms");
      assertThat(echo.received()).isEqualTo(6);
      try (Socket other = connect()) {
        Await.until(WAIT, () -> proxy.openConnections() == 2, "the second connection to be accepted and held");
        assertThat(other.isConnected()).isTrue();
      }

      proxy.pass();
      assertThat(read(client, "held-1 held-2".length())).isEqualTo("held-1 held-2");
    }
  }

  @Test
  void dropResetsOpenConnectionsAndEveryNewOneUntilTheModeChanges() throws IOException {
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "before")).isEqualTo("before");
      proxy.drop();
      Await.until(WAIT, () -> proxy.openConnections() == 0, "the open connection to be reset");
      assertThatThrownBy(() -> {
        client.getOutputStream().write(1);
        if (client.getInputStream().read() < 0) {
          throw new SocketException("end of stream");
        }
      }).isInstanceOf(SocketException.class);
    }
    try (Socket refused = connect()) {
      assertThat(refused.getInputStream().read()).isEqualTo(-1);
    } catch (SocketException reset) {
      assertThat(reset).hasMessageContaining("reset");
    }

    proxy.pass();
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "after")).isEqualTo("after");
    }
  }

  @Test
  void delayRejectsANonPositiveDuration() {
    assertThatThrownBy(() -> proxy.delay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be > 0, but was PT0S");
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", proxy.port());
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  private static String roundTrip(Socket client, String text) throws IOException {
    client.getOutputStream().write(text.getBytes(UTF_8));
    return read(client, text.length());
  }

  private static String read(Socket client, int length) throws IOException {
    byte[] bytes = client.getInputStream().readNBytes(length);
    return new String(bytes, UTF_8);
  }

  /** Sends back whatever it receives, on a thread per connection. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final AtomicLong received = new AtomicLong();

    EchoServer() throws IOException {
      Thread acceptor = new Thread(this::accept, "echo-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    long received() {
      return received.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread echoer = new Thread(() -> echo(socket), "echo");
          echoer.setDaemon(true);
          echoer.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void echo(Socket socket) {
      try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
        byte[] buffer = new byte[1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          received.addAndGet(read);
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException closed) {
        // The proxy reset or closed the connection.
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
