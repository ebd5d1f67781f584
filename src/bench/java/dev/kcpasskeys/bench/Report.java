package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's figures as a Markdown table and a CSV: per way, the ratios (a)/(b) and (a)/(c), and JMH. */
final class Report {

  record Row(BenchOptions.Config config, Way way, Tally tally) {}

  /** A figure of one round of one way, e.g. its sign-ins per second or its median latency. */
  private interface RoundFigure {
    double of(Tally tally, Tally.Round round);
  }

  private static final RoundFigure PER_SECOND = (tally, round) -> round.perSecond();
  private static final RoundFigure CPU = (tally, round) -> round.serverCpuPerSignIn();
  private static final RoundFigure MEDIAN = (tally, round) -> tally.percentileMillis(round, 50);

  /** Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom (1.96 beyond). */
  private static final double[] T95 = {12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16,
      2.14, 2.13, 2.12, 2.11, 2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05, 2.04};

  private static final int HEAP_GROWTH_ROWS = 12;

  /** One JMH benchmark's time over another's, and what that shows. */
  private record JmhRatio(String benchmark, String baseline, String meaning) {}

  /** The first is the target (≤ 2×): the ceremony as Keycloak runs it over the raw ES256 check by the same provider. */
  private static final List<JmhRatio> JMH_RATIOS = List.of(
      new JmhRatio("finishAuthentication", "rawEs256VerifyBouncyCastle", "as in Keycloak (BouncyCastle): target ≤ 2×"),
      new JmhRatio("finishAuthenticationJdk", "rawEs256Verify", "both with the JDK's provider (SunEC)"),
      new JmhRatio("finishAuthentication", "finishAuthenticationJdk", "the ceremony with BouncyCastle over with SunEC"),
      new JmhRatio("rawEs256VerifyBouncyCastle", "rawEs256Verify", "BouncyCastle over SunEC, the signature alone"));

  private final List<String> header = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private Map<String, CeremonyJmh.Score> jmh = Map.of();
  private String profile = "";
  private long heapBefore = -1;
  private long heapAfterWarmup = -1;
  private long heapRightAfter = -1;
  private long heapAfter = -1;
  private List<String> heapGrowth = List.of();

  void note(String line) {
    header.add(line);
  }

  void add(Row row) {
    rows.add(row);
  }

  /**
   * Used heap after a full GC: before the first sign-in, after the unmeasured warm-up (signed out,
   * caches cleared, as after the run), right after the run, and once short-lived entries expired.
   */
  void heap(long beforeMegabytes, long afterWarmupMegabytes, long rightAfterMegabytes, long afterMegabytes) {
    heapBefore = beforeMegabytes;
    heapAfterWarmup = afterWarmupMegabytes;
    heapRightAfter = rightAfterMegabytes;
    heapAfter = afterMegabytes;
  }

  /**
   * The classes whose live instances grew most between the baseline (after the warm-up) and the
   * last heap reading, in bytes: the heap target's "what is left, and is it ours".
   */
  void heapGrowth(Map<String, HeapProbe.Live> before, Map<String, HeapProbe.Live> after) {
    heapGrowth = after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue().minus(before.getOrDefault(e.getKey(), HeapProbe.Live.NONE))))
        .filter(e -> e.getValue().bytes() > 0)
        .sorted((x, y) -> Long.compare(y.getValue().bytes(), x.getValue().bytes()))
        .limit(HEAP_GROWTH_ROWS)
        .map(e -> String.format(Locale.ROOT, "| `%s` | %+d | %+.1f |", e.getKey(), e.getValue().instances(),
            e.getValue().bytes() / 1024.0))
        .toList();
  }

  /**
   * The scale questions, per way: latency with more users (same passkeys per user) and with more
   * passkeys per user (same users), against each smaller configuration measured in this run; and,
   * where {@code @N} was measured, all users of a population signing in against only N of them.
   */
  private void scale(StringBuilder out) {
    List<String> lines = new ArrayList<>();
    for (Row r : rows) {
      rows.stream().filter(base -> base.way().key().equals(r.way().key()) && base != r)
          .filter(base -> base.config().recentlyUsed() == r.config().recentlyUsed())
          .filter(base -> smallerThan(base.config(), r.config()))
          .forEach(base -> lines.add(against(r, base)));
    }
    comparisons(out, "Scale (same run; users×passkeys vs a smaller configuration; target: latency within 10 %)", lines);
  }

  /** One way at one configuration against the same way at another: latency, CPU and throughput ratios. */
  private static String against(Row r, Row base) {
    return String.format(Locale.ROOT, "| (%s) | %s vs %s | %.2f | %.2f | %.2f | %.2f | %s |%n",
        r.way().key(), r.config().label(), base.config().label(),
        ratio(r.tally().percentileMillis(50), base.tally().percentileMillis(50)),
        ratio(r.tally().percentileMillis(99), base.tally().percentileMillis(99)),
        ratio(r.tally().serverCpuPerSignIn(), base.tally().serverCpuPerSignIn()),
        ratio(r.tally().perSecond(), base.tally().perSecond()), perRound(r.tally(), base.tally(), MEDIAN));
  }

  private static void comparisons(StringBuilder out, String title, List<String> lines) {
    if (!lines.isEmpty()) {
      out.append("\n").append(title).append(":\n\n");
      out.append("| way | configuration | p50 ratio | p99 ratio | server CPU ratio | sign-ins/s ratio | per round: p50 ratio |\n");
      out.append("|---|---|---:|---:|---:|---:|---|\n");
      lines.forEach(out::append);
    }
  }

  /** One scale step: more users stored, more passkeys each, or (same population) more users signing in. */
  private static boolean smallerThan(BenchOptions.Config base, BenchOptions.Config r) {
    boolean sameSigningIn = base.signingIn() == r.signingIn();
    boolean moreUsers = base.passkeys() == r.passkeys() && base.users() < r.users()
        && (sameSigningIn || r.active() == 0 && base.active() == 0);
    boolean morePasskeys = base.users() == r.users() && base.passkeys() < r.passkeys() && sameSigningIn;
    boolean moreSigningIn = base.seeded().equals(r.seeded()) && base.signingIn() < r.signingIn();
    return moreUsers || morePasskeys || moreSigningIn;
  }

  /**
   * What recording last use costs: each way at a configuration whose sign-ins write it against the
   * same population seeded as just used, same run. Only (a) writes; (b) and (c) do the same work in
   * both, so their ratios show how far two configurations differ without any write (the noise floor).
   */
  private void lastUseWrite(StringBuilder out) {
    List<String> lines = new ArrayList<>();
    for (Row recent : rows) {
      if (!recent.config().recentlyUsed()) {
        continue;
      }
      rows.stream().filter(r -> r.config().equals(recent.config().writing()) && r.way().key().equals(recent.way().key()))
          .findFirst().ifPresent(writing -> lines.add(against(writing, recent)));
    }
    comparisons(out, "Last-use write (same run; sign-ins that write last use vs the same population seeded as just used; "
        + "only (a) writes, so (b) and (c) show the noise floor)", lines);
  }

  void jmh(Map<String, CeremonyJmh.Score> scores) {
    jmh = scores;
  }

  /** The per-way server profile ({@link ProfileBreakdown}), printed after the tables. */
  void profile(String markdown) {
    profile = markdown;
  }

  String markdown() {
    StringBuilder out = new StringBuilder("# Sign-in benchmark\n\n");
    header.forEach(line -> out.append("- ").append(line).append('\n'));
    if (!rows.isEmpty()) {
      out.append("\n| users×passkeys | way | sign-ins | sign-ins/s | p50 ms | p95 ms | p99 ms "
          + "| server CPU ms/sign-in | of which database | client CPU ms/sign-in | errors |\n");
      out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Row r : rows) {
        Tally t = r.tally();
        out.append(String.format(Locale.ROOT, "| %s | (%s) %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
            r.config().label(), r.way().key(), r.way().label(), t.count(), t.perSecond(),
            t.percentileMillis(50), t.percentileMillis(95), t.percentileMillis(99), t.serverCpuPerSignIn(),
            t.databaseCpuPerSignIn(), t.clientCpuPerSignIn(), t.errors()));
      }
      out.append("\nRatios (same run, same server; throughput > 1 and latency/CPU < 1 favour (a)):\n\n");
      out.append("| users×passkeys | vs | sign-ins/s ratio | p50 ratio | p95 ratio | p99 ratio | server CPU/sign-in ratio "
          + "| per round: sign-ins/s ratio | per round: CPU ratio | per round: p50 ratio |\n");
      out.append("|---|---|---:|---:|---:|---:|---:|---|---|---|\n");
      for (Row a : rows) {
        if (!a.way().key().equals("a")) {
          continue;
        }
        for (Row other : rows) {
          if (other.config().equals(a.config()) && !other.way().key().equals("a")) {
            out.append(String.format(Locale.ROOT, "| %s | (a)/(%s) | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |%n",
                a.config().label(), other.way().key(), ratio(a.tally().perSecond(), other.tally().perSecond()),
                ratio(a.tally().percentileMillis(50), other.tally().percentileMillis(50)),
                ratio(a.tally().percentileMillis(95), other.tally().percentileMillis(95)),
                ratio(a.tally().percentileMillis(99), other.tally().percentileMillis(99)),
                ratio(a.tally().serverCpuPerSignIn(), other.tally().serverCpuPerSignIn()),
                perRound(a.tally(), other.tally(), PER_SECOND), perRound(a.tally(), other.tally(), CPU),
                perRound(a.tally(), other.tally(), MEDIAN)));
          }
        }
      }
      scale(out);
      lastUseWrite(out);
      if (heapBefore >= 0) {
        out.append(String.format(Locale.ROOT, "%nKeycloak heap after a full GC: %d MB before the first sign-in, %d MB after "
            + "the unmeasured warm-up (signed out, caches cleared: the server's starting level once it has served); after the "
            + "run, signed out and caches cleared, %d MB at once and %d MB once short-lived entries expired: %.2f× the "
            + "level after the warm-up (target: back to it), %.2f× the cold start.%n", heapBefore, heapAfterWarmup,
            heapRightAfter, heapAfter, ratio(heapAfter, heapAfterWarmup), ratio(heapAfter, heapBefore)));
      }
      if (!heapGrowth.isEmpty()) {
        out.append("\nLive objects that grew most from the level after the warm-up to the last reading "
            + "(`jcmd GC.class_histogram`):\n\n| class | instances | KB |\n|---|---:|---:|\n");
        heapGrowth.forEach(line -> out.append(line).append('\n'));
      }
      rows.stream().filter(r -> r.tally().firstError() != null).forEach(r -> out.append(String.format(
          "%nFirst error of (%s) at %s: %s%n", r.way().key(), r.config().label(),
          r.tally().firstError())));
    }
    if (!jmh.isEmpty()) {
      out.append("\nCeremony core (JMH, average time, 1 thread):\n\n| benchmark | µs/op | ± |\n|---|---:|---:|\n");
      jmh.forEach((name, s) -> out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", name, s.micros(), s.error())));
      for (JmhRatio ratio : JMH_RATIOS) {
        boolean target = ratio == JMH_RATIOS.get(0);
        out.append(String.format(Locale.ROOT, target ? "| **%s / %s** | **%.2f×** | %s |%n" : "| %s / %s | %.2f× | %s |%n",
            ratio.benchmark(), ratio.baseline(), jmhRatio(ratio), ratio.meaning()));
      }
    }
    if (!profile.isEmpty()) {
      out.append('\n').append(profile);
    }
    return out.toString();
  }

  String csv() {
    StringBuilder out = new StringBuilder("kind,users,passkeys_per_user,way,sign_ins,sign_ins_per_s,p50_ms,p95_ms,"
        + "p99_ms,server_cpu_ms_per_sign_in,client_cpu_ms_per_sign_in,errors,configuration,database_cpu_ms_per_sign_in\n");
    // configuration (e.g. 100000x1, 100000x1-recent, 100000x1@1000) keeps rows of one population apart
    for (Row r : rows) {
      Tally t = r.tally();
      out.append(String.format(Locale.ROOT, "load,%d,%d,%s,%d,%.2f,%.2f,%.2f,%.2f,%.3f,%.3f,%d,%s,%.3f%n",
          r.config().users(), r.config().passkeys(), r.way().key(), t.count(), t.perSecond(), t.percentileMillis(50), t.percentileMillis(95),
          t.percentileMillis(99), t.serverCpuPerSignIn(), t.clientCpuPerSignIn(), t.errors(), r.config().label(),
          t.databaseCpuPerSignIn()));
    }
    if (heapBefore >= 0) {
      out.append(String.format(Locale.ROOT, "heap_mb_after_gc,,,before,,%d,,,,,,,,%nheap_mb_after_gc,,,after_warmup,,%d,,,,,,,,%n"
          + "heap_mb_after_gc,,,right_after,,%d,,,,,,,,%nheap_mb_after_gc,,,after_expiry,,%d,,,,,,,,%n", heapBefore,
          heapAfterWarmup, heapRightAfter, heapAfter));
    }
    jmh.forEach((name, s) -> out.append(String.format(Locale.ROOT, "jmh_us_per_op,,,%s,,%.3f,,,,,,,,%n", name, s.micros())));
    if (!jmh.isEmpty()) {
      for (JmhRatio ratio : JMH_RATIOS) {
        out.append(String.format(Locale.ROOT, "jmh_ratio,,,%s/%s,,%.3f,,,,,,,,%n", ratio.benchmark(),
            ratio.baseline(), jmhRatio(ratio)));
      }
    }
    return out.toString();
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.md"), markdown());
    Files.writeString(dir.resolve("results.csv"), csv());
  }

  /**
   * The ratio of round i of one way to round i of the other (the rounds interleave, so round i of
   * each ran at about the same time), as "min–max (median; 95 % CI)": how far a single round could
   * mislead, and how precisely the run as a whole pins the ratio down.
   */
  private static String perRound(Tally a, Tally b, RoundFigure figure) {
    List<Tally.Round> ra = a.rounds();
    List<Tally.Round> rb = b.rounds();
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
      ratios.add(ratio(figure.of(a, ra.get(i)), figure.of(b, rb.get(i))));
    }
    if (ratios.isEmpty()) {
      return "";
    }
    Collections.sort(ratios);
    double median = ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
        : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
    return String.format(Locale.ROOT, "%.2f–%.2f (median %.2f%s)", ratios.get(0), ratios.get(ratios.size() - 1), median,
        confidence(ratios));
  }

  /**
   * The 95 % confidence interval of the rounds' geometric mean ratio (a t interval on the logs of
   * the paired per-round ratios): whether this run can tell the two ways apart at all. An interval
   * that contains 1 means it cannot.
   */
  private static String confidence(List<Double> ratios) {
    int n = ratios.size();
    if (n < 2 || ratios.stream().anyMatch(r -> !(r > 0))) {
      return "";
    }
    double mean = ratios.stream().mapToDouble(Math::log).average().orElseThrow();
    double variance = ratios.stream().mapToDouble(r -> Math.pow(Math.log(r) - mean, 2)).sum() / (n - 1);
    double half = (n - 1 <= T95.length ? T95[n - 2] : 1.96) * Math.sqrt(variance / n);
    return String.format(Locale.ROOT, "; 95 %% CI %.2f–%.2f", Math.exp(mean - half), Math.exp(mean + half));
  }

  private double jmhRatio(JmhRatio ratio) {
    CeremonyJmh.Score measured = jmh.get(ratio.benchmark());
    CeremonyJmh.Score raw = jmh.get(ratio.baseline());
    return measured == null || raw == null ? Double.NaN : measured.micros() / raw.micros();
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
