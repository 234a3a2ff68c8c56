package io.asyncagent.krakend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.asyncagent.Violation;
import io.asyncagent.spi.ConfigNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/*
 * A JSON document as the plain-Java tree ConfigNode reads (Map, List, String, Number, Boolean, null), with
 * where each value starts in the text, so that problems found while reading — in whatever order the
 * readers look — are reported in the order of the file. Strict, as Go's encoding/json is: no comments, no
 * trailing commas, nothing after the root; unlike Go, a key given twice in one object is an error rather than
 * the last one silently winning. Floating-point numbers are kept as BigDecimal, exact.
 */
/** A parsed JSON document, with the position of every value. */
final class JsonTree {
  /** The path of a problem with the document as a whole, such as a syntax error. */
  static final String DOCUMENT = "$";

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final Object root;
  private final Map<String, Long> positions;

  private JsonTree(Object root, Map<String, Long> positions) {
    this.root = root;
    this.positions = positions;
  }

  /**
   * Parses {@code json}; a document that is not valid JSON, or whose root is not an object, is reported to
   * {@code violations} under {@value #DOCUMENT} and read as empty.
   *
   * @throws UncheckedIOException if {@code json} cannot be read
   */
  static Optional<JsonTree> parse(Reader json, List<Violation> violations) {
    Map<String, Long> positions = new HashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        violations.add(new Violation(DOCUMENT, "must be a JSON object, but the document is empty"));
        return Optional.empty();
      }
      Object root = value(parser, "", positions);
      if (parser.nextToken() != null) {
        violations.add(new Violation(DOCUMENT, "must hold one JSON value, but more follows it" + at(
            parser.currentTokenLocation())));
        return Optional.empty();
      }
      if (!(root instanceof Map)) {
        violations.add(new Violation(DOCUMENT, "must be a JSON object, but was " + ConfigNode.describe(root)));
        return Optional.empty();
      }
      return Optional.of(new JsonTree(root, positions));
    } catch (JsonProcessingException e) {
      violations.add(new Violation(DOCUMENT, "must be valid JSON, but " + firstLine(e.getOriginalMessage())
          + at(e.getLocation())));
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the root object. */
  @SuppressWarnings("unchecked") // parse() admits only a Map<String, Object> as the root
  Map<String, Object> root() {
    return (Map<String, Object>) root;
  }

  /**
   * Returns {@code violations} in the order of the file: each at the position of its path, or else of the
   * nearest enclosing value the file has (a missing field is reported where its object starts); problems at
   * one position keep the order they were found in.
   */
  List<Violation> inFileOrder(List<Violation> violations) {
    List<Violation> sorted = new ArrayList<>(violations);
    sorted.sort(Comparator.comparingLong(violation -> position(violation.path())));
    return sorted;
  }

  private long position(String path) {
    for (String p = path; ; p = parent(p)) {
      Long position = positions.get(p);
      if (position != null) {
        return position;
      }
      if (p.isEmpty()) {
        return -1;
      }
    }
  }

  /** The path one level up, as ConfigNode writes paths: {@code a.b}, {@code a."x/y"}, {@code a[3]}. */
  static String parent(String path) {
    if (path.endsWith("]")) {
      int bracket = path.lastIndexOf('[');
      return bracket < 0 ? "" : path.substring(0, bracket);
    }
    int cut;
    if (path.endsWith("\"") && path.length() > 1) {
      int quote = path.lastIndexOf('"', path.length() - 2);
      cut = quote - 1;
    } else {
      cut = path.lastIndexOf('.');
    }
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  private static Object value(JsonParser parser, String path, Map<String, Long> positions) throws IOException {
    positions.putIfAbsent(path, parser.currentTokenLocation().getCharOffset());
    switch (parser.currentToken()) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String child = ConfigNode.childPath(path, key);
          positions.put(child, parser.currentTokenLocation().getCharOffset());
          parser.nextToken();
          object.put(key, value(parser, child, positions));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser, path + "[" + array.size() + "]", positions));
        }
        return array;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default: // VALUE_NULL; the parser reports every other token as a syntax error
        return null;
    }
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
