package io.asyncagent.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Captures, while open, every line logged at or above a level, with the MDC of the thread that logged it.
 * The test JVM's SLF4J provider is {@link Provider} (set by the {@code slf4j.provider} system property in
 * the pom): it prints through slf4j-simple as before and feeds the open captures. Its MDC is a plain
 * thread-local, not inherited by new threads as SLF4J's basic adapter is, so a test cannot see a key that
 * the logging thread did not set itself.
 */
public final class LogCapture implements AutoCloseable {
  private static final List<LogCapture> open = new CopyOnWriteArrayList<>();

  /** One logged line. */
  record Line(Level level, String logger, String thread, String message, Throwable throwable,
      Map<String, String> mdc) {
    @Override
    public String toString() {
      return level + " [" + thread + "] " + logger + " " + mdc + " " + message
          + (throwable == null ? "" : " (" + throwable + ")");
    }
  }

  private final Level threshold;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private LogCapture(Level threshold) {
    this.threshold = threshold;
  }

  /** Starts capturing lines at {@code threshold} and above, from every thread. */
  static LogCapture start(Level threshold) {
    if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof CapturingFactory)) {
      throw new IllegalStateException("the SLF4J provider is not LogCapture.Provider; run with -Dslf4j.provider="
          + Provider.class.getName());
    }
    LogCapture capture = new LogCapture(threshold);
    open.add(capture);
    return capture;
  }

  /** Returns the lines captured so far, of loggers whose name starts with {@code prefix}. */
  List<Line> lines(String prefix) {
    return lines.stream().filter(line -> line.logger().startsWith(prefix)).collect(Collectors.toList());
  }

  /** Returns the lines captured so far at {@code level}, of loggers whose name starts with {@code prefix}. */
  List<Line> lines(Level level, String prefix) {
    return lines(prefix).stream().filter(line -> line.level() == level).collect(Collectors.toList());
  }

  @Override
  public void close() {
    open.remove(this);
  }

  private static boolean capturing(Level level) {
    for (LogCapture capture : open) {
      if (level.toInt() >= capture.threshold.toInt()) {
        return true;
      }
    }
    return false;
  }

  /** The provider of the test JVM: slf4j-simple's output, plus the captures, plus a real MDC. */
  public static final class Provider implements SLF4JServiceProvider {
    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    /** Called by SLF4J's service loading. */
    public Provider() {}

    @Override
    public ILoggerFactory getLoggerFactory() {
      return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
      return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
      return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
      return "2.0.99";
    }

    @Override
    public void initialize() {
      mdcAdapter = new ThreadLocalMdc();
      markerFactory = new BasicMarkerFactory();
      loggerFactory = new CapturingFactory(new SimpleLoggerFactory(), mdcAdapter);
    }
  }

  private static final class CapturingFactory implements ILoggerFactory {
    private final ILoggerFactory printing;
    private final MDCAdapter mdc;
    private final Map<String, Logger> loggers = new java.util.concurrent.ConcurrentHashMap<>();

    CapturingFactory(ILoggerFactory printing, MDCAdapter mdc) {
      this.printing = printing;
      this.mdc = mdc;
    }

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, any -> new CapturingLogger(name, printing.getLogger(name), mdc));
    }
  }

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient Logger printing;
    private final transient MDCAdapter mdc;

    CapturingLogger(String name, Logger printing, MDCAdapter mdc) {
      this.name = name;
      this.printing = printing;
      this.mdc = mdc;
    }

    @Override
    public boolean isTraceEnabled() {
      return capturing(Level.TRACE) || printing.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
      return capturing(Level.DEBUG) || printing.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
      return capturing(Level.INFO) || printing.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
      return capturing(Level.WARN) || printing.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
      return capturing(Level.ERROR) || printing.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
        Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      Map<String, String> context = mdc.getCopyOfContextMap();
      Line line = new Line(level, name, Thread.currentThread().getName(), message, throwable,
          context == null ? Map.of() : Map.copyOf(context));
      for (LogCapture capture : open) {
        if (level.toInt() >= capture.threshold.toInt()) {
          capture.lines.add(line);
        }
      }
      switch (level) {
        case ERROR:
          if (printing.isErrorEnabled()) {
            printing.error(message, throwable);
          }
          break;
        case WARN:
          if (printing.isWarnEnabled()) {
            printing.warn(message, throwable);
          }
          break;
        case INFO:
          if (printing.isInfoEnabled()) {
            printing.info(message, throwable);
          }
          break;
        case DEBUG:
          if (printing.isDebugEnabled()) {
            printing.debug(message, throwable);
          }
          break;
        default:
          if (printing.isTraceEnabled()) {
            printing.trace(message, throwable);
          }
      }
    }
  }

  /** An MDC per thread, not inherited: a key is there only if the thread put it. */
  private static final class ThreadLocalMdc implements MDCAdapter {
    private final ThreadLocal<Map<String, String>> map = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<Map<String, Deque<String>>> deques = ThreadLocal.withInitial(HashMap::new);

    @Override
    public void put(String key, String value) {
      map.get().put(key, value);
    }

    @Override
    public String get(String key) {
      return map.get().get(key);
    }

    @Override
    public void remove(String key) {
      map.get().remove(key);
    }

    @Override
    public void clear() {
      map.get().clear();
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
      return new HashMap<>(map.get());
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
      map.set(new HashMap<>(contextMap));
    }

    @Override
    public void pushByKey(String key, String value) {
      deques.get().computeIfAbsent(key, any -> new ArrayDeque<>()).push(value);
    }

    @Override
    public String popByKey(String key) {
      Deque<String> deque = deques.get().get(key);
      return deque == null ? null : deque.poll();
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
      Deque<String> deque = deques.get().get(key);
      return deque == null ? null : new ArrayDeque<>(deque);
    }

    @Override
    public void clearDequeByKey(String key) {
      Deque<String> deque = deques.get().get(key);
      if (deque != null) {
        deque.clear();
      }
    }
  }
}
