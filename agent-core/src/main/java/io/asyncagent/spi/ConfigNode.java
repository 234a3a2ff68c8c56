package io.asyncagent.spi;

import static java.util.Objects.requireNonNull;

import io.asyncagent.GoDuration;
import io.asyncagent.Violation;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object of a configuration file, read by a {@link DriverFactory} or a {@link SinkFactory},
 * with the path that locates it and the list its problems go to.
 *
 * <p>The tree is plain Java: {@link Map} for an object, {@link List} for an array, {@link String},
 * {@link Number}, {@link Boolean}, and {@code null}. Every accessor checks the type of the value it reads;
 * a wrong type is reported — with the value's path, such as
 * {@code async_agent[0].extra_config."async/kafka".group.session_timeout} — and read as absent, so that a
 * reader goes on and finds every problem of a file in one pass. A reader never throws for bad input.
 *
 * <p>Keys that start with {@code @}, {@code $}, {@code _} or {@code #} are comments (KrakenD's rule) and
 * are never reported as unknown. Messages show a string value as JSON does: a reported message with
 * {@code , but was 'value'} — the builders' style — is given with {@code , but was "value"}.
 */
public final class ConfigNode {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern INDEXED_SETTING = Pattern.compile("[^ :]*\\[(\\d+)\\] ");
  private static final Pattern SINGLE_QUOTED_VALUE = Pattern.compile("(.*?, but was )'([^']*)'(.*)", Pattern.DOTALL);
  private static final Pattern COMMENT_KEY = Pattern.compile("^[@$_#].*");

  private final String path;
  private final Map<String, ?> fields;
  private final List<Violation> violations;

  private ConfigNode(String path, Map<String, ?> fields, List<Violation> violations) {
    this.path = path;
    this.fields = fields;
    this.violations = violations;
  }

  /**
   * Returns a node over {@code fields} at {@code path}, reporting into {@code violations}.
   *
   * @param path where the object is, such as {@code async_agent[0]}
   * @param violations the list problems are added to; shared with every node read from this one
   * @param fields the object's fields, as parsed; not copied
   * @return a new node
   * @throws NullPointerException if an argument is null
   */
  public static ConfigNode of(String path, Map<String, ?> fields, List<Violation> violations) {
    return new ConfigNode(requireNonNull(path, "path"), requireNonNull(fields, "fields"),
        requireNonNull(violations, "violations"));
  }

  /** {@return the path of this object} */
  public String path() {
    return path;
  }

  /**
   * {@return the path of the field {@code key} of this object; a key that is not a plain word is quoted}
   *
   * @param key the field's name
   */
  public String path(String key) {
    return childPath(path, key);
  }

  /**
   * Returns the path of the field {@code key} of the object at {@code parent}, as {@link #path(String)} writes
   * it: {@code parent.key}, or {@code parent."async/kafka"} for a key that is not a plain word, or just the key
   * when {@code parent} is empty (the root).
   *
   * @param parent the path of the object, empty for the root
   * @param key the field's name
   * @return the field's path
   * @throws NullPointerException if {@code parent} or {@code key} is null
   */
  public static String childPath(String parent, String key) {
    requireNonNull(parent, "parent");
    requireNonNull(key, "key");
    String child = PLAIN_KEY.matcher(key).matches() ? key : "\"" + key + "\"";
    return parent.isEmpty() ? child : parent + "." + child;
  }

  /**
   * {@return whether the field {@code key} is present (even with the value {@code null})}
   *
   * @param key the field's name
   */
  public boolean has(String key) {
    return fields.containsKey(key);
  }

  /** {@return the field names of this object that are not comments} */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (String key : fields.keySet()) {
      if (!COMMENT_KEY.matcher(key).matches()) {
        keys.add(key);
      }
    }
    return keys;
  }

  /**
   * Reports a problem with the field {@code key}: {@code <path of key>: <message>}.
   *
   * @param key the field's name
   * @param message what is wrong, such as {@code must be >= 1, but was 0}
   */
  public void report(String key, String message) {
    violations.add(new Violation(path(key), jsonQuoted(message)));
  }

  /**
   * Reports a problem with element {@code index} of the array field {@code key}: {@code <path of key>[<index>]:
   * <message>}.
   *
   * @param key the array field's name
   * @param index the element's index
   * @param message what is wrong
   */
  public void report(String key, int index, String message) {
    violations.add(new Violation(path(key) + "[" + index + "]", jsonQuoted(message)));
  }

  /**
   * Reports a problem with this object as a whole.
   *
   * @param message what is wrong
   */
  public void report(String message) {
    violations.add(new Violation(path, jsonQuoted(message)));
  }

  /** {@return how many problems have been reported so far, by every node sharing this one's list} */
  public int problemCount() {
    return violations.size();
  }

  /**
   * Reports every field that is neither in {@code known} nor a comment: {@code unknown field; known
   * fields here are a, b, c}.
   *
   * @param known the field names the reader knows
   */
  public void rejectUnknown(Collection<String> known) {
    for (String key : keys()) {
      if (!known.contains(key)) {
        report(key, "unknown field; the fields here are " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /**
   * Returns which one of {@code spellings} is present: KrakenD's documentation and its schema disagree on
   * some names ({@code group_id} and {@code id}). Reports a problem, and returns the first, when more than
   * one is.
   *
   * @param spellings the accepted names of one field, the preferred first
   * @return the first of {@code spellings} that is present, or empty when none is
   */
  public Optional<String> spelling(String... spellings) {
    List<String> present = new ArrayList<>();
    for (String spelling : spellings) {
      if (fields.containsKey(spelling)) {
        present.add(spelling);
      }
    }
    if (present.size() > 1) {
      report(present.get(1), "is another spelling of " + present.get(0) + "; give only one of them");
    }
    return present.stream().findFirst();
  }

  /**
   * {@return the string field {@code key}; reports a value of another type}
   *
   * @param key the field's name
   */
  public Optional<String> string(String key) {
    return checked(key, String.class, "a string").map(String.class::cast);
  }

  /**
   * {@return the boolean field {@code key}; reports a value of another type}
   *
   * @param key the field's name
   */
  public Optional<Boolean> bool(String key) {
    return checked(key, Boolean.class, "true or false").map(Boolean.class::cast);
  }

  /**
   * {@return the number field {@code key}; reports a value of another type}
   *
   * @param key the field's name
   */
  public Optional<Double> number(String key) {
    return checked(key, Number.class, "a number").map(n -> ((Number) n).doubleValue());
  }

  /**
   * {@return the whole-number field {@code key}; reports a fraction, a value out of int range, or another type}
   *
   * @param key the field's name
   */
  public Optional<Integer> integer(String key) {
    Optional<Number> number = checked(key, Number.class, "a whole number").map(Number.class::cast);
    if (number.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(number.get().toString()).intValueExact());
    } catch (ArithmeticException | NumberFormatException e) {
      report(key, "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
          + ", but was " + number.get());
      return Optional.empty();
    }
  }

  /**
   * Returns the whole-number field {@code key} as a {@code long}, for sizes in bytes; reports a fraction, a value
   * out of {@code long} range, or another type.
   *
   * @param key the field's name
   * @return the value, or empty when the field is absent or was reported
   */
  public Optional<Long> longInteger(String key) {
    Optional<Number> number = checked(key, Number.class, "a whole number").map(Number.class::cast);
    if (number.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(number.get().toString()).longValueExact());
    } catch (ArithmeticException | NumberFormatException e) {
      report(key, "must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
          + ", but was " + number.get());
      return Optional.empty();
    }
  }

  /**
   * Returns the duration field {@code key}, written in Go's notation ({@code "250ms"}, {@code "1m30s"});
   * reports anything else.
   *
   * @param key the field's name
   * @return the value, or empty when the field is absent or was reported
   */
  public Optional<Duration> duration(String key) {
    Optional<String> text = checked(key, String.class, "a Go duration such as \"250ms\" or \"1m30s\"")
        .map(String.class::cast);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(GoDuration.parse(text.get()));
    } catch (IllegalArgumentException e) {
      report(key, "must be a Go duration such as \"250ms\" or \"1m30s\", but was \"" + text.get() + "\"");
      return Optional.empty();
    }
  }

  /**
   * {@return the field {@code key} holding an array of strings; reports any other value}
   *
   * @param key the field's name
   */
  public Optional<List<String>> strings(String key) {
    return list(key, String.class, "an array of strings").map(l -> l.stream().map(String.class::cast).toList());
  }

  /**
   * {@return the field {@code key} holding an array of whole numbers; reports any other value}
   *
   * @param key the field's name
   */
  public Optional<List<Integer>> integers(String key) {
    Optional<List<Number>> numbers =
        list(key, Number.class, "an array of whole numbers").map(l -> l.stream().map(Number.class::cast).toList());
    if (numbers.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> result = new ArrayList<>();
    for (Number n : numbers.get()) {
      try {
        result.add(new BigDecimal(n.toString()).intValueExact());
      } catch (ArithmeticException | NumberFormatException e) {
        report(key, "must be an array of whole numbers, but holds " + n);
        return Optional.empty();
      }
    }
    return Optional.of(result);
  }

  /**
   * {@return the object field {@code key} as a node; reports any other value}
   *
   * @param key the field's name
   */
  public Optional<ConfigNode> object(String key) {
    return checked(key, Map.class, "an object").map(m -> new ConfigNode(path(key), stringKeys((Map<?, ?>) m), violations));
  }

  /**
   * {@return the field {@code key} holding an array of objects, one node each; reports any other value}
   *
   * @param key the field's name
   */
  public Optional<List<ConfigNode>> objects(String key) {
    Optional<List<Object>> maps = list(key, Map.class, "an array of objects");
    if (maps.isEmpty()) {
      return Optional.empty();
    }
    List<ConfigNode> nodes = new ArrayList<>();
    for (int i = 0; i < maps.get().size(); i++) {
      nodes.add(new ConfigNode(path(key) + "[" + i + "]", stringKeys((Map<?, ?>) maps.get().get(i)), violations));
    }
    return Optional.of(nodes);
  }

  /**
   * {@return the raw value of {@code key}: a {@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}}
   *
   * @param key the field's name
   */
  public Optional<Object> raw(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /**
   * Passes {@code value}, when present, to {@code setter} — a builder method that checks it — and reports
   * the setter's {@link IllegalArgumentException} under {@code key}. Builder messages start with the
   * builder's own name for the setting ({@code workers must be >= 1, but was 0}); the report keeps only
   * the rule ({@code must be >= 1, but was 0}), since the path already names the field.
   *
   * @param <T> the value's type
   * @param key the field's name, under which a rejection is reported
   * @param value the value read from the field, if any
   * @param setter the builder method
   */
  public <T> void apply(String key, Optional<T> value, Consumer<T> setter) {
    value.ifPresent(v -> {
      try {
        setter.accept(v);
      } catch (IllegalArgumentException e) {
        reportRule(key, e.getMessage());
      }
    });
  }

  /**
   * Reports a builder's message under {@code key}; when the builder named an element
   * ({@code cluster.brokers[1] must be host:port…}), under that element of {@code key}.
   */
  private void reportRule(String key, String message) {
    Matcher element = INDEXED_SETTING.matcher(message);
    if (element.lookingAt() && !rule(message).equals(message)) {
      report(key, Integer.parseInt(element.group(1)), rule(message));
    } else {
      report(key, rule(message));
    }
  }

  /**
   * Like {@link #apply}, for a value read from the field and converted first: a failed conversion is
   * reported under {@code key} with the converter's message.
   *
   * @param <T> the type of the value read
   * @param <R> the type it is converted to
   * @param key the field's name, under which a failure is reported
   * @param value the value read from the field, if any
   * @param converter the conversion; it throws {@link IllegalArgumentException} for a value it rejects
   * @return the converted value, or empty when {@code value} is empty or the conversion failed
   */
  public <T, R> Optional<R> convert(String key, Optional<T> value, Function<T, R> converter) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(converter.apply(value.get()));
    } catch (IllegalArgumentException e) {
      reportRule(key, e.getMessage());
      return Optional.empty();
    }
  }

  /** Returns a builder's message without its leading setting name: {@code must be >= 1, but was 0}. */
  static String rule(String message) {
    int space = message.indexOf(' ');
    if (space > 0 && !message.substring(0, space).contains(":") && startsWithRule(message.substring(space + 1))) {
      return message.substring(space + 1);
    }
    return message;
  }

  /**
   * Quotes a builder's {@code but was 'value'} as JSON does, {@code but was "value"}, so that every message
   * about a file shows a string value one way; what follows the value is kept.
   */
  private static String jsonQuoted(String rule) {
    Matcher value = SINGLE_QUOTED_VALUE.matcher(rule);
    return value.matches() ? value.group(1) + "\"" + value.group(2) + "\"" + value.group(3) : rule;
  }

  private static boolean startsWithRule(String rest) {
    return rest.startsWith("must ") || rest.startsWith("is ") || rest.startsWith("cannot ");
  }

  @Override
  public String toString() {
    return "ConfigNode{" + path + "}";
  }

  private Optional<Object> checked(String key, Class<?> type, String expected) {
    Object value = fields.get(key);
    if (value == null) {
      if (fields.containsKey(key)) {
        report(key, "must be " + expected + ", but was null");
      }
      return Optional.empty();
    }
    if (!type.isInstance(value)) {
      report(key, "must be " + expected + ", but was " + describe(value));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private Optional<List<Object>> list(String key, Class<?> type, String expected) {
    Optional<Object> raw = checked(key, List.class, expected);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    List<Object> result = new ArrayList<>();
    for (Object element : (List<?>) raw.get()) {
      if (!type.isInstance(element)) {
        report(key, "must be " + expected + ", but holds " + describe(element));
        return Optional.empty();
      }
      result.add(element);
    }
    return Optional.of(result);
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v));
    return result;
  }

  /**
   * Describes a value for a message: strings quoted, others as JSON would show them.
   *
   * @param value a value of the tree, or {@code null}
   * @return the description, such as {@code "abc"}, {@code 12}, {@code an object} or {@code null}
   */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return String.valueOf(value);
  }
}
