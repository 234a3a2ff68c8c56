package io.asyncagent.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and spread of a handful of samples. */
record Stats(double median, double min, double max, int count) {

  static Stats of(List<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** Returns {@code median [min–max]} with the given format for each number. */
  String format(String number) {
    return String.format(number, median) + " [" + String.format(number, min) + "–" + String.format(number, max) + "]";
  }
}
