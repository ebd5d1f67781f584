package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line saying what the figures were measured on. */
final class Machine {

  private Machine() {}

  static String describe() {
    String model = "unknown CPU";
    long memKb = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: say less
    }
    return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB RAM, Java %s; load generator and Keycloak share them",
        Runtime.getRuntime().availableProcessors(), model, memKb / 1024.0 / 1024.0, System.getProperty("java.version"));
  }
}
