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
record BenchOptions(int concurrency, int durationSeconds, int warmupSeconds, int rounds, int users,
                    List<Integer> passkeysPerUser, int passwordUsers, int maxSignInsPerRound, int maxMinutes,
                    boolean loadTest, boolean jmh, Path outDir) {

  static final String USAGE = """
      bin/benchmark [--concurrency 4] [--duration 20] [--warmup 5] [--rounds 3] [--users 1000]
                    [--passkeys 1,20] [--password-users 200] [--max-signins 20000] [--max-minutes 45]
                    [--no-jmh | --jmh-only]
        (or BENCH_CONCURRENCY, BENCH_DURATION, BENCH_WARMUP, BENCH_ROUNDS, BENCH_USERS, BENCH_PASSKEYS,
         BENCH_PASSWORD_USERS, BENCH_MAX_SIGNINS, BENCH_MAX_MINUTES)""";

  static BenchOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    boolean load = true;
    boolean jmh = true;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--no-jmh" -> jmh = false;
        case "--jmh-only" -> load = false;
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
        positive(values, "rounds", 3), positive(values, "users", 1000), list(value(values, "passkeys", "1,20")),
        positive(values, "password-users", 200), positive(values, "max-signins", 20000),
        positive(values, "max-minutes", 45), load, jmh, Path.of(value(values, "out", "target/benchmark")));
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

  private static int positive(Map<String, String> values, String name, int fallback) {
    int n = number(values, name, fallback);
    if (n < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1");
    }
    return n;
  }

  private static List<Integer> list(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }
}
