package io.asyncagent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a run measured: cores, CPU, memory, JVM. */
record Machine(int cores, String cpu, long memoryMiB, String jvm, String os) {

  static Machine current() {
    String cpu = "unknown";
    long memory = -1;
    try {
      List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
      cpu = cpuinfo.stream().filter(line -> line.startsWith("model name")).findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse(cpu);
      List<String> meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
      memory = meminfo.stream().filter(line -> line.startsWith("MemTotal:")).findFirst()
          .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024).orElse(memory);
    } catch (IOException | RuntimeException notLinux) {
      // keep "unknown"
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), cpu, memory,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  String markdown() {
    return "| cores | CPU | memory | JVM | OS |\n|---|---|---|---|---|\n| " + cores + " | " + cpu + " | "
        + (memoryMiB < 0 ? "unknown" : memoryMiB / 1024 + " GiB") + " | " + jvm + " | " + os + " |\n";
  }
}
