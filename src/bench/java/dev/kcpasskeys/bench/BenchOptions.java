package dev.kcpasskeys.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run does. Each setting is a flag ({@code --users 1000}) or an environment
 * variable ({@code BENCH_USERS=1000}); flags win.
 */
record BenchOptions(int concurrency, int durationSeconds, int warmupSeconds, int jitWarmupSeconds, int rounds, List<Config> configs,
                    int passwordUsers, int maxSignInsPerRound, int maxMinutes, int heapSettleSeconds,
                    boolean loadTest, boolean jmh, boolean profile, String ways, int userCache, Path outDir) {

  /** Whether the way with this key ("a", "b" or "c") is measured. */
  boolean measures(String wayKey) {
    return ways.contains(wayKey);
  }

  /**
   * One population to measure: how many users, each with how many passkeys. With {@code -recent}
   * ({@code 100000x1-recent}) the seeded passkeys were last used "just now" as far as the server
   * can tell for the whole run, so no sign-in of (a) writes its last use: measured next to the plain
   * configuration, it prices that write. With {@code @N} ({@code 100000x1@1000}) only the first N
   * users sign in (the same realms as {@code 100000x1}): as many returning users as at
   * {@code 1000x1}, in a database of 100 000, which separates "more users stored" from "more
   * different users signing in" (each first one a miss in Keycloak's user cache).
   */
  record Config(int users, int passkeys, boolean recentlyUsed, int active) {
    private static final String RECENT = "-recent";

    static Config parse(String text) {
      String rest = text.trim().toLowerCase();
      int active = 0;
      int at = rest.indexOf('@');
      if (at >= 0) {
        active = count(rest.substring(at + 1), text);
        rest = rest.substring(0, at);
      }
      boolean recent = rest.endsWith(RECENT);
      String[] parts = (recent ? rest.substring(0, rest.length() - RECENT.length()) : rest).split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException(usage(text));
      }
      int users = count(parts[0], text);
      int passkeys = count(parts[1], text);
      if (users < 1 || passkeys < 1 || users > 1_000_000 || passkeys > 50 || (at >= 0 && (active < 1 || active > users))) {
        throw new IllegalArgumentException("--configs item out of range (1..1000000 users, 1..50 passkeys, "
            + "@1..users): " + text);
      }
      return new Config(users, passkeys, recent, active == users ? 0 : active);
    }

    private static int count(String digits, String item) {
      try {
        return Integer.parseInt(digits.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(usage(item));
      }
    }

    private static String usage(String item) {
      return "--configs takes USERSxPASSKEYS[-recent][@ACTIVE] items like 1000x1, 1000x1-recent or 100000x1@1000, not '"
          + item + "'";
    }

    String label() {
      return seeded().seedLabel() + (active > 0 ? "@" + active : "");
    }

    /** The population as seeded: configurations that differ only in {@code @N} share its realms. */
    Config seeded() {
      return new Config(users, passkeys, recentlyUsed, 0);
    }

    private String seedLabel() {
      return users + "x" + passkeys + (recentlyUsed ? RECENT : "");
    }

    /** How many users sign in: the first {@code active}, or all. */
    int signingIn() {
      return active > 0 ? active : users;
    }

    /** The same population with last use written by sign-ins (the plain configuration). */
    Config writing() {
      return new Config(users, passkeys, false, active);
    }
  }

  static final String USAGE = """
      bin/benchmark [--concurrency 4] [--duration 20] [--warmup 5] [--jit-warmup 90] [--rounds 3]
                    [--configs 1000x1,1000x20,100000x1,100000x1@1000[,100000x1-recent]] [--password-users 200] [--max-signins 20000]
                    [--max-minutes 60] [--heap-settle 960] [--no-jmh | --jmh-only] [--profile] [--ways abc]
                    [--user-cache 0]
        (or BENCH_CONCURRENCY, BENCH_DURATION, BENCH_WARMUP, BENCH_JIT_WARMUP, BENCH_ROUNDS, BENCH_CONFIGS,
         BENCH_PASSWORD_USERS, BENCH_MAX_SIGNINS, BENCH_MAX_MINUTES, BENCH_HEAP_SETTLE, BENCH_PROFILE=1, BENCH_WAYS,
         BENCH_USER_CACHE)
        --configs: USERSxPASSKEYS populations, each its own pair of realms, measured in the same run, round by round;
                   USERSxPASSKEYS-recent: the same with passkeys the server sees as just used (no last-use writes);
                   USERSxPASSKEYS@N: only the first N users of that population sign in
        --profile: record Keycloak with JFR over the measured rounds and add a per-way profile, (a) next to (b)
        --ways: which of (a) passkey-login, (b) built-in passkeys, (c) password, (d) first-party sign-in (ours,
                no login page) to measure, e.g. ab for many short rounds of (a) against (b) only; (a) is always
                measured; default abcd
        --user-cache N: start Keycloak with --cache-embedded-users-max-count=N (and a 3 GB heap) and load every
                user who signs in into that cache before measuring, as returning users are in production;
                0 keeps Keycloak's default cache (10 000 entries), cold""";

  static BenchOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    boolean load = true;
    boolean jmh = true;
    boolean profile = "1".equals(System.getenv("BENCH_PROFILE"));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--no-jmh" -> jmh = false;
        case "--jmh-only" -> load = false;
        case "--profile" -> profile = true;
        case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (!arg.startsWith("--") || i + 1 >= args.length) {
            throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
          }
          values.put(arg.substring(2), args[++i]);
        }
      }
    }
    return new BenchOptions(
        positive(values, "concurrency", 4), positive(values, "duration", 20), number(values, "warmup", 5),
        number(values, "jit-warmup", 90),
        positive(values, "rounds", 3), configs(value(values, "configs", "1000x1,1000x20,100000x1,100000x1@1000")),
        positive(values, "password-users", 200), positive(values, "max-signins", 20000),
        positive(values, "max-minutes", 60), number(values, "heap-settle", 960), load, jmh, profile,
        ways(value(values, "ways", "abcd")), notNegative(values, "user-cache"), Path.of(value(values, "out", "target/benchmark")));
  }

  private static String value(Map<String, String> values, String name, String fallback) {
    String env = System.getenv("BENCH_" + name.toUpperCase().replace('-', '_'));
    return values.getOrDefault(name, env != null && !env.isBlank() ? env : fallback);
  }

  private static int number(Map<String, String> values, String name, int fallback) {
    String text = value(values, name, Integer.toString(fallback));
    try {
      return Integer.parseInt(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, not '" + text + "'");
    }
  }

  private static int notNegative(Map<String, String> values, String name) {
    int n = number(values, name, 0);
    if (n < 0) {
      throw new IllegalArgumentException("--" + name + " must be 0 or more");
    }
    return n;
  }

  private static int positive(Map<String, String> values, String name, int fallback) {
    int n = number(values, name, fallback);
    if (n < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1");
    }
    return n;
  }

  private static String ways(String text) {
    String ways = text.trim().toLowerCase().replace(",", "");
    if (!ways.matches("[abcd]{1,4}") || !ways.contains("a") || ways.chars().distinct().count() != ways.length()) {
      throw new IllegalArgumentException("--ways takes a, b, c and d, each at most once and (a) among them "
          + "(e.g. abc, ab or ad), not '" + text + "'");
    }
    return ways;
  }

  private static List<Config> configs(String text) {
    try {
      return Arrays.stream(text.split(",")).map(Config::parse).distinct().toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--configs takes USERSxPASSKEYS items like 1000x1, not '" + text + "'");
    }
  }
}
