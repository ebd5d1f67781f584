package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) of the server, from /proc/<pid>/stat, in milliseconds: the Keycloak JVM,
 * plus, with an external database ({@code BENCH_DB=postgres}), the PostgreSQL server and all its
 * processes (live backends, and those that ended, through the postmaster's children's times).
 */
final class CpuClock {

  private final long pid;
  private final long databasePid;
  private final long ticksPerSecond;

  CpuClock(long pid) {
    this(pid, 0);
  }

  /** databasePid: the PostgreSQL postmaster, 0 for none (H2 runs inside Keycloak). */
  CpuClock(long pid, long databasePid) {
    this.pid = pid;
    this.databasePid = databasePid;
    this.ticksPerSecond = clockTicks();
  }

  long pid() {
    return pid;
  }

  long millis() {
    return (ticks(pid, false) + databaseTicks()) * 1000 / ticksPerSecond;
  }

  /** The database's share of {@link #millis()} (0 without an external database). */
  long databaseMillis() {
    return databaseTicks() * 1000 / ticksPerSecond;
  }

  private long databaseTicks() {
    if (databasePid == 0) {
      return 0;
    }
    long live = ProcessHandle.of(databasePid).map(pm -> pm.descendants().mapToLong(p -> ticksIfAlive(p.pid())).sum())
        .orElse(0L);
    return ticks(databasePid, true) + live;
  }

  private static long ticksIfAlive(long pid) {
    try {
      return ticks(pid, false);
    } catch (IllegalStateException gone) {
      return 0;
    }
  }

  /** utime + stime, and with {@code reapedChildren} also cutime + cstime (children that ended). */
  private static long ticks(long pid, boolean reapedChildren) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name "(...)": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return reapedChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
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
