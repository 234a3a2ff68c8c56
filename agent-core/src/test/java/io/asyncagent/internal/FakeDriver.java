package io.asyncagent.internal;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.Event;
import io.asyncagent.spi.Dispatcher;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import io.asyncagent.spi.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A driver whose session is steered by the test: it offers what the test tells it to. */
final class FakeDriver implements Driver {
  final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
  volatile boolean readyOnConnect = true;
  volatile RuntimeException failOnConnect;

  @Override
  public String type() {
    return "fake";
  }

  @Override
  public Optional<String> checkTopic(String topic) {
    return topic.contains(" ") ? Optional.of("must not contain spaces, but was '" + topic + "'") : Optional.empty();
  }

  @Override
  public DriverSession connect(DriverContext context) {
    if (failOnConnect != null) {
      throw failOnConnect;
    }
    FakeSession session = new FakeSession(context);
    sessions.add(session);
    if (readyOnConnect) {
      session.ready.complete(null);
    }
    return session;
  }

  FakeSession session() {
    return sessions.get(sessions.size() - 1);
  }

  static final class FakeSession implements DriverSession {
    final DriverContext context;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final List<Event> processed = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    volatile Duration closedWithGrace;
    volatile Runnable onClose = () -> {};

    FakeSession(DriverContext context) {
      this.context = context;
    }

    Dispatcher dispatcher() {
      return context.dispatcher();
    }

    /** Offers {@code count} events of topic {@code t}, partition 0, offsets from {@code first}. */
    List<Ticket> offer(int first, int count) {
      List<Ticket> tickets = new ArrayList<>();
      for (int i = first; i < first + count; i++) {
        Event event = event(i);
        Ticket ticket = dispatcher().offer(event, () -> processed.add(event))
            .orElseThrow(() -> new AssertionError("offer refused at offset " + event.offset()));
        tickets.add(ticket);
      }
      return tickets;
    }

    @Override
    public CompletionStage<Void> ready() {
      return ready;
    }

    @Override
    public CompletionStage<Void> terminated() {
      return terminated;
    }

    @Override
    public void close(Duration grace) {
      closes.incrementAndGet();
      closedWithGrace = grace;
      onClose.run();
      terminated.complete(null);
    }
  }

  static Event event(long offset) {
    return Event.builder("t", 0, offset).body(("event-" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .build();
  }

  /** An agent on a fake driver that is never started: for the parts that need one to name. */
  static AsyncAgent unstartedAgent(String name) {
    return AsyncAgent.builder().name(name).topics("t").driver(new FakeDriver())
        .sink(event -> CompletableFuture.completedFuture(null)).build();
  }

  /** A guard around {@code listener}, for an agent called {@code name} that is never started. */
  static ListenerGuard guard(String name, AgentListener listener) {
    return new ListenerGuard(unstartedAgent(name), listener);
  }
}
