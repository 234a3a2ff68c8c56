package io.asyncagent.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/*
 * Two measures of a JVM's heap: the peak the heap pools reached (what the JVM had to hold, garbage
 * included, so it depends on when the collector chose to run) and the largest heap left after a
 * collection (the live set: what the program really kept). The second is the program's; the first is
 * bounded by -Xmx.
 */
/** Watches this JVM's heap from inside. */
final class HeapWatch {
  private final AtomicLong maxAfterGc = new AtomicLong();

  HeapWatch() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (isHeap(pool.getKey())) {
            used += pool.getValue().getUsed();
          }
        }
        maxAfterGc.accumulateAndGet(used, Math::max);
      }, null, null);
    }
  }

  private static boolean isHeap(String poolName) {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .anyMatch(pool -> pool.getName().equals(poolName) && pool.getType() == MemoryType.HEAP);
  }

  /** Returns the largest heap, in bytes, any collection so far has left. */
  long maxAfterGc() {
    return maxAfterGc.get();
  }

  /** Returns the sum of the heap pools' peaks, in bytes. */
  static long peakUsed() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
