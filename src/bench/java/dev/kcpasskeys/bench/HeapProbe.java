package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keycloak's used heap right after a full GC, through {@code jcmd} (same JDK, same user). */
final class HeapProbe {

  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private HeapProbe() {}

  static long usedMegabytesAfterGc(long pid) {
    run(pid, "GC.run");
    Matcher m = USED.matcher(run(pid, "GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("jcmd " + pid + " GC.heap_info: no 'used' figure");
    }
    return Long.parseLong(m.group(1)) / 1024;
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
