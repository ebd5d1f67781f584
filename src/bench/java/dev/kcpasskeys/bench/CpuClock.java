package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system) of a process, from /proc/<pid>/stat, in milliseconds. */
final class CpuClock {

  private final long pid;
  private final long ticksPerSecond;

  CpuClock(long pid) {
    this.pid = pid;
    this.ticksPerSecond = clockTicks();
  }

  long pid() {
    return pid;
  }

  long millis() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 1000 / ticksPerSecond;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read CPU time of process " + pid, e);
    }
  }

  /** This JVM's own CPU time (the load generator), in milliseconds. */
  static long selfMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
