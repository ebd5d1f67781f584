package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keycloak's used heap right after a full GC, through {@code jcmd} (same JDK, same user). */
final class HeapProbe {

  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
  /** "   12:          3456         123456  java.lang.String (java.base@17)" */
  private static final Pattern HISTOGRAM_LINE = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private HeapProbe() {}

  static long usedMegabytesAfterGc(long pid) {
    run(pid, "GC.run");
    Matcher m = USED.matcher(run(pid, "GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("jcmd " + pid + " GC.heap_info: no 'used' figure");
    }
    return Long.parseLong(m.group(1)) / 1024;
  }

  /** The live objects of one class. */
  record Live(long instances, long bytes) {
    static final Live NONE = new Live(0, 0);

    Live plus(Live other) {
      return new Live(instances + other.instances, bytes + other.bytes);
    }

    Live minus(Live other) {
      return new Live(instances - other.instances, bytes - other.bytes);
    }
  }

  /** Live objects per class after a full GC ({@code jcmd GC.class_histogram}), by class name. */
  static Map<String, Live> histogram(long pid) {
    Map<String, Live> classes = new HashMap<>();
    Matcher m = HISTOGRAM_LINE.matcher(run(pid, "GC.class_histogram"));
    while (m.find()) {
      // The same name can appear twice (one class in two class loaders): one row for both.
      classes.merge(m.group(3), new Live(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))), Live::plus);
    }
    if (classes.isEmpty()) {
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram: no classes listed");
    }
    return classes;
  }

  /** {@code jcmd PID COMMAND ARGS…}, failing loudly; also used to start and stop the server profile. */
  static String run(long pid, String command, String... args) {
    List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid), command));
    line.addAll(List.of(args));
    try {
      Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("jcmd is needed for the heap check and the profile (it ships with the JDK)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
