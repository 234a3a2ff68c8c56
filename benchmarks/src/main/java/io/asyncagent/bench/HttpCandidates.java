package io.asyncagent.bench;

import io.asyncagent.Event;
import io.asyncagent.http.HttpBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP clients P2 compares, each set up for HTTP/1.1 with room for {@code inFlight} connections to the
 * server, and otherwise as a sink would use it: no redirects, the answer's body discarded. Each adapter
 * reports a non-2xx answer as a failure. Apache HttpClient 5 is set up exactly as HttpBackend's
 * HttpDelivery sets it up, so that it is the sink's raw baseline; the JDK client as the sink built it before
 * it moved to Apache's.
 */
final class HttpCandidates {
  private HttpCandidates() {}

  /** The clients by name: the names are what {@link HttpClientMain} takes. */
  enum Kind {
    /** The agent's {@link HttpBackend}, driven through {@code deliver(Event)}. */
    BACKEND("HttpBackend (agent-http-backend)"),
    /** The JDK's {@link HttpClient}, as HttpBackend built it before it moved to Apache HttpClient 5. */
    JDK("JDK HttpClient"),
    /** Jetty 12's {@code HttpClient}. */
    JETTY("Jetty 12 HttpClient"),
    /** Apache HttpClient 5's {@link CloseableHttpAsyncClient}, with HttpBackend's settings: its raw baseline. */
    APACHE("Apache HttpClient 5 async"),
    /** Reactor Netty's {@code HttpClient}, on Netty. */
    REACTOR_NETTY("Reactor Netty HttpClient");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Opens a client of {@code kind} that POSTs to {@code url}. */
  static HttpLoad.Client open(Kind kind, URI url, int inFlight) throws Exception {
    return switch (kind) {
      case BACKEND -> backend(url, inFlight);
      case JDK -> jdk(url);
      case JETTY -> jetty(url, inFlight);
      case APACHE -> apache(url, inFlight);
      case REACTOR_NETTY -> reactorNetty(url, inFlight);
    };
  }

  /** What the JVM running a client is: {@code Java 17.0.15}. */
  static String runtime() {
    return "Java " + System.getProperty("java.runtime.version", System.getProperty("java.version"));
  }

  private static HttpLoad.Client backend(URI url, int inFlight) {
    HttpBackend backend = HttpBackend.builder()
        .host(url.getScheme() + "://" + url.getHost() + ":" + url.getPort())
        .urlPattern(url.getRawPath())
        .maxConnections(inFlight)
        .build();
    return new HttpLoad.Client() {
      private long offset;

      @Override
      public void send(byte[] body, HttpLoad.Done done) {
        Event event = Event.builder("p2", 0, offset++).body(body).build();
        backend.deliver(event).whenComplete((ignored, failure) -> done.completed(failure));
      }

      @Override
      public void close() {
        backend.close();
      }
    };
  }

  /**
   * The JDK client as HttpDelivery built it before the sink moved to Apache HttpClient 5: HTTP/1.1, no
   * redirects, a 10 s connect timeout and a fixed executor of two daemon threads; a request built for each send,
   * the answer's body discarded.
   */
  private static HttpLoad.Client jdk(URI url) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemons("p2-jdk-http"));
    executor.allowCoreThreadTimeOut(true);
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
    return new HttpLoad.Client() {
      @Override
      public void send(byte[] body, HttpLoad.Done done) {
        HttpRequest request = HttpRequest.newBuilder(url)
            .method("POST", HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
            .whenComplete((response, failure) ->
                done.completed(failure != null ? failure : check(response.statusCode())));
      }

      @Override
      public void close() {
        // As for HttpBackend: Java 17's HttpClient has no close; its selector thread ends once the client is
        // unreachable, and the executor's threads time out.
      }
    };
  }

  private static HttpLoad.Client jetty(URI url, int inFlight) throws Exception {
    org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
    client.setMaxConnectionsPerDestination(inFlight);
    client.setFollowRedirects(false);
    client.start();
    String target = url.toString();
    return new HttpLoad.Client() {
      @Override
      public void send(byte[] body, HttpLoad.Done done) {
        client.newRequest(target)
            .method(HttpMethod.POST)
            .body(new BytesRequestContent(body))
            .send(result -> done.completed(result.isFailed() ? result.getFailure()
                : check(result.getResponse().getStatus())));
      }

      @Override
      public void close() {
        try {
          client.stop();
        } catch (Exception e) {
          throw new IllegalStateException("stopping Jetty's HttpClient failed", e);
        }
      }
    };
  }

  /**
   * Apache HttpClient 5's async client exactly as HttpDelivery (agent-http-backend) builds and drives it, with
   * HttpBackend's defaults: HTTP/1.1 forced; a pooling connection manager of {@code inFlight} connections in all
   * and per route; a 10 s connect timeout and no response timeout; 2 I/O reactor threads (daemons); content
   * compression off; no redirects, cookies or automatic retries. Each send builds a {@link SimpleRequestBuilder}
   * request with the body and no content type, and discards the answer's body with a
   * {@code BasicResponseConsumer(new DiscardingEntityConsumer<>())}.
   */
  private static HttpLoad.Client apache(URI url, int inFlight) {
    CloseableHttpAsyncClient client = HttpAsyncClients.custom()
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(inFlight)
            .setMaxConnPerRoute(inFlight)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(10))
                .build())
            .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
            .build())
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).build())
        .setThreadFactory(daemons("p2-apache-http"))
        .setDefaultRequestConfig(RequestConfig.custom().setContentCompressionEnabled(false).build())
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAutomaticRetries()
        .build();
    client.start();
    return new HttpLoad.Client() {
      @Override
      public void send(byte[] body, HttpLoad.Done done) {
        SimpleHttpRequest request = SimpleRequestBuilder.create("POST").setUri(url).setBody(body, null).build();
        FutureCallback<Message<org.apache.hc.core5.http.HttpResponse, Void>> callback = new FutureCallback<>() {
          @Override
          public void completed(Message<org.apache.hc.core5.http.HttpResponse, Void> response) {
            done.completed(check(response.getHead().getCode()));
          }

          @Override
          public void failed(Exception failure) {
            done.completed(failure);
          }

          @Override
          public void cancelled() {
            done.completed(new IllegalStateException("cancelled"));
          }
        };
        client.execute(SimpleRequestProducer.create(request),
            new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), callback);
      }

      @Override
      public void close() {
        client.close(CloseMode.GRACEFUL);
      }
    };
  }

  private static HttpLoad.Client reactorNetty(URI url, int inFlight) {
    ConnectionProvider connections = ConnectionProvider.builder("p2")
        .maxConnections(inFlight)
        .pendingAcquireMaxCount(-1)
        .build();
    reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(connections)
        .protocol(HttpProtocol.HTTP11)
        .followRedirect(false);
    String target = url.toString();
    return new HttpLoad.Client() {
      @Override
      public void send(byte[] body, HttpLoad.Done done) {
        client.post()
            .uri(target)
            .send((request, outbound) -> outbound.sendByteArray(Mono.just(body)))
            // responseSingle reads the (empty) body and gives the connection back to the pool. With response()
            // instead, the server here accepted one new connection per request, and the rate fell 5–9×.
            .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
            .subscribe(status -> done.completed(check(status)), done::completed);
      }

      @Override
      public void close() {
        connections.disposeLater().block(Duration.ofSeconds(10));
      }
    };
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static Throwable check(int status) {
    return status >= 200 && status < 300 ? null
        : new IllegalStateException("HTTP " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase());
  }
}
