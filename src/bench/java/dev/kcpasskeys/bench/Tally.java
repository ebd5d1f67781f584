package dev.kcpasskeys.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the rounds of one way added up to: sign-ins, latencies, wall and CPU time, errors. */
final class Tally {

  private long[] latenciesMicros = new long[1024];
  private int count;
  private long errors;
  private String firstError;
  private double wallSeconds;
  private long serverCpuMillis;
  private long clientCpuMillis;
  private long databaseCpuMillis;
  private int countAtLastRound;
  private final List<Round> rounds = new ArrayList<>();

  /**
   * One round's own figures, to show how much the ratios move from round to round; its latencies
   * are entries {@code from} (inclusive) to {@code to} (exclusive) of the tally's.
   */
  record Round(double seconds, long serverCpuMillis, long startMillis, long endMillis, int from, int to) {
    int signIns() {
      return to - from;
    }

    double perSecond() {
      return seconds == 0 ? 0 : signIns() / seconds;
    }

    double serverCpuPerSignIn() {
      return signIns() == 0 ? Double.NaN : (double) serverCpuMillis / signIns();
    }
  }

  synchronized void success(long micros) {
    if (count == latenciesMicros.length) {
      latenciesMicros = Arrays.copyOf(latenciesMicros, count * 2);
    }
    latenciesMicros[count++] = micros;
  }

  synchronized void error(Exception e) {
    errors++;
    if (firstError == null) {
      firstError = e.toString();
    }
  }

  /**
   * One round ended: its wall time, CPU (the server's, the database's share of it, the load
   * generator's) and when it ran (epoch millis, to find its profile samples).
   */
  synchronized void round(double seconds, long serverCpu, long databaseCpu, long clientCpu, long startMillis,
                          long endMillis) {
    wallSeconds += seconds;
    serverCpuMillis += serverCpu;
    databaseCpuMillis += databaseCpu;
    clientCpuMillis += clientCpu;
    rounds.add(new Round(seconds, serverCpu, startMillis, endMillis, countAtLastRound, count));
    countAtLastRound = count;
  }

  synchronized List<Round> rounds() {
    return List.copyOf(rounds);
  }

  synchronized int count() {
    return count;
  }

  synchronized long errors() {
    return errors;
  }

  synchronized String firstError() {
    return firstError;
  }

  synchronized double perSecond() {
    return wallSeconds == 0 ? 0 : count / wallSeconds;
  }

  /** Latency percentile in milliseconds (nearest rank). */
  synchronized double percentileMillis(double p) {
    return percentileMillis(0, count, p);
  }

  /** Latency percentile of one round's sign-ins, in milliseconds. */
  synchronized double percentileMillis(Round round, double p) {
    return percentileMillis(round.from(), round.to(), p);
  }

  private double percentileMillis(int from, int to, double p) {
    int n = to - from;
    if (n <= 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOfRange(latenciesMicros, from, to);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))] / 1000.0;
  }

  synchronized double serverCpuPerSignIn() {
    return count == 0 ? Double.NaN : (double) serverCpuMillis / count;
  }

  /** The database's share of {@link #serverCpuPerSignIn} (0 when it runs inside Keycloak, as H2 does). */
  synchronized double databaseCpuPerSignIn() {
    return count == 0 ? Double.NaN : (double) databaseCpuMillis / count;
  }

  synchronized double clientCpuPerSignIn() {
    return count == 0 ? Double.NaN : (double) clientCpuMillis / count;
  }
}
