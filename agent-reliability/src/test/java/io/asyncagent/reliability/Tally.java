package io.asyncagent.reliability;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What became of every record a scenario produced: delivered once, delivered more than once, dead-lettered (and never
 * delivered), or lost. The four add up to {@link #produced()}.
 *
 * @param produced records the cluster acknowledged
 * @param deliveredOnce records the backend answered with a success exactly once
 * @param deliveredMoreThanOnce records the backend answered with a success more than once
 * @param duplicates the successful deliveries beyond the first of each record
 * @param deadLettered records in the dead-letter topic and never delivered
 * @param lost records neither delivered nor dead-lettered
 * @param unexpected deliveries of numbers never produced; always 0 unless the books are wrong
 */
record Tally(int produced, int deliveredOnce, int deliveredMoreThanOnce, int duplicates, int deadLettered, int lost,
    int unexpected) {

  /** Records delivered at least once. */
  int delivered() {
    return deliveredOnce + deliveredMoreThanOnce;
  }

  /** Counts {@code produced} against the successful {@code deliveries} and the {@code deadLettered} numbers. */
  static Tally count(Set<Integer> produced, List<Ledger.Attempt> deliveries, Set<Integer> deadLettered) {
    Map<Integer, Integer> successes = new HashMap<>();
    int unexpected = 0;
    for (Ledger.Attempt delivery : deliveries) {
      if (produced.contains(delivery.number())) {
        successes.merge(delivery.number(), 1, Integer::sum);
      } else {
        unexpected++;
      }
    }
    int once = (int) successes.values().stream().filter(count -> count == 1).count();
    int moreThanOnce = successes.size() - once;
    int duplicates = successes.values().stream().mapToInt(count -> count - 1).sum();
    Set<Integer> onlyDeadLettered = new HashSet<>(deadLettered);
    onlyDeadLettered.retainAll(produced);
    onlyDeadLettered.removeAll(successes.keySet());
    int lost = produced.size() - successes.size() - onlyDeadLettered.size();
    return new Tally(produced.size(), once, moreThanOnce, duplicates, onlyDeadLettered.size(), lost, unexpected);
  }
}
