package io.asyncagent.reliability;

import io.asyncagent.testkit.ChildAgent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Reads which partitions child agents own from the {@code ASSIGNED}, {@code REVOKED} and {@code LOST} lines. */
final class Membership {
  private Membership() {}

  /**
   * The partitions {@code child} owns now: those of its last {@code ASSIGNED} line, unless a {@code REVOKED} or
   * {@code LOST} line came after it (it is between assignments), or empty before its first.
   */
  static Set<Integer> owned(ChildAgent child) {
    List<String> lines = child.lines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (line.startsWith(AgentMain.ASSIGNED)) {
        return numbers(line.substring(AgentMain.ASSIGNED.length()));
      }
      if (line.startsWith(AgentMain.REVOKED) || line.startsWith(AgentMain.LOST)) {
        return Set.of();
      }
    }
    return Set.of();
  }

  /**
   * Whether {@code members} split the partitions {@code 0..partitions-1} between them, each owning {@code
   * partitions / members} of them (range assignment with a count that divides evenly) and no two the same one.
   */
  static boolean evenSplit(int partitions, List<ChildAgent> members) {
    Set<Integer> seen = new HashSet<>();
    for (ChildAgent member : members) {
      Set<Integer> owned = owned(member);
      if (owned.size() != partitions / members.size()) {
        return false;
      }
      for (int partition : owned) {
        if (!seen.add(partition)) {
          return false;
        }
      }
    }
    return seen.size() == partitions;
  }

  /** Who owns what, for messages: {@code scale-a=[0, 1, 2, 3] scale-c=[]}. */
  static String describe(List<ChildAgent> members) {
    return members.stream().map(member -> member.name() + "=" + new TreeSet<>(owned(member)))
        .collect(Collectors.joining(" "));
  }

  /** The {@code delivered=} count of a child's last {@code PROGRESS} line. */
  static Optional<Long> delivered(ChildAgent child) {
    return child.lastLineStartingWith(AgentMain.PROGRESS).flatMap(line -> Arrays.stream(line.split(" "))
        .filter(part -> part.startsWith("delivered=")).findFirst())
        .map(part -> Long.parseLong(part.substring("delivered=".length())));
  }

  private static Set<Integer> numbers(String list) {
    return list.isBlank() ? Set.of() : Arrays.stream(list.split(",")).map(Integer::valueOf)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
