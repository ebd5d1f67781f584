package dev.kcpasskeys.bench;

import dev.kcpasskeys.it.support.BenchKeycloak;
import dev.kcpasskeys.it.support.HttpLogin;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * bin/benchmark: one Keycloak 26.7.3 with the extension, users seeded by partial import, then
 * complete OIDC sign-ins in interleaved rounds (a, b, c, a, b, c, …) so the three ways share the
 * machine's noise; then the JMH ceremony benchmark. Writes target/benchmark/results.{md,csv}.
 */
public final class SignInBenchmark {

  private final BenchOptions options;
  private final Report report = new Report();
  private final long deadline;

  private SignInBenchmark(BenchOptions options) {
    this.options = options;
    this.deadline = System.nanoTime() + options.maxMinutes() * 60_000_000_000L;
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    new SignInBenchmark(options).run();
    System.exit(0);
  }

  private void run() throws Exception {
    report.note("Machine: " + Machine.describe());
    report.note(String.format(Locale.ROOT, "Settings: concurrency %d, %d rounds × %d s per way (+%d s warm-up), "
        + "max %d sign-ins per round, %d password users", options.concurrency(), options.rounds(),
        options.durationSeconds(), options.warmupSeconds(), options.maxSignInsPerRound(), options.passwordUsers()));
    if (options.loadTest()) {
      loadTest();
    }
    if (options.jmh()) {
      System.out.println("bench: JMH ceremony benchmark (about 1 minute)");
      report.jmh(CeremonyJmh.run());
    }
    report.write(options.outDir());
    System.out.println();
    System.out.println(report.markdown());
    System.out.println("bench: wrote " + options.outDir().resolve("results.md") + " and results.csv");
  }

  private void loadTest() throws Exception {
    try (BenchKeycloak keycloak = new BenchKeycloak()) {
      long t0 = System.nanoTime();
      System.out.println("bench: starting Keycloak 26.7.3 with the extension");
      keycloak.start();
      report.note(String.format(Locale.ROOT, "Keycloak 26.7.3 start-dev (H2, local caches, themes cached), "
          + "started in %.0f s; server CPU from /proc/%d/stat", seconds(t0), keycloak.javaPid()));
      CpuClock cpu = new CpuClock(keycloak.javaPid());
      KeyPool keys = new KeyPool();
      Seeder seeder = new Seeder(keycloak.admin(), keys);
      HttpClient http = HttpLogin.newClient();
      String origin = keycloak.server().baseUrl();
      Rounds rounds = new Rounds(http, origin, cpu, options.concurrency(), options.maxSignInsPerRound());
      for (int passkeys : options.passkeysPerUser()) {
        if (pastDeadline()) {
          report.note("Stopped before " + passkeys + " passkeys/user: --max-minutes reached");
          break;
        }
        List<Way> ways = seed(keycloak, seeder, keys, origin, passkeys);
        measure(rounds, ways, passkeys);
      }
    }
  }

  private List<Way> seed(BenchKeycloak keycloak, Seeder seeder, KeyPool keys, String origin, int passkeys) {
    long t0 = System.nanoTime();
    int users = options.users();
    String ours = "bench-ours-" + passkeys;
    String builtIn = "bench-builtin-" + passkeys;
    BenchRealms.createOurs(keycloak.admin(), ours);
    BenchRealms.createBuiltIn(keycloak.admin(), builtIn);
    System.out.printf("bench: seeding %d + %d users with %d passkey(s) each…%n", users, users, passkeys);
    // Both realms at once: the client builds one realm's batch while the server imports the other's.
    CompletableFuture<List<BenchUser>> seedingOurs =
        CompletableFuture.supplyAsync(() -> seeder.passkeyUsers(ours, "pk", users, passkeys));
    List<BenchUser> b = seeder.passkeyUsers(builtIn, "pk", users, passkeys);
    List<BenchUser> a = seedingOurs.join();
    double passkeySeconds = seconds(t0);
    requireSeededMetadata(keycloak, ours, a.get(0));
    long t1 = System.nanoTime();
    List<BenchUser> c = seeder.passwordUsers(builtIn, "pw", Math.min(options.passwordUsers(), users));
    report.note(String.format(Locale.ROOT, "Seeding %d passkeys/user: 2 × %d passkey users in %.1f s (%.0f users/s), "
        + "%d password users in %.1f s", passkeys, users, passkeySeconds, 2 * users / passkeySeconds, c.size(),
        seconds(t1)));
    return List.of(new PasskeyLoginWay(ours, a, passkeys, keys, origin),
        new BuiltInPasskeyWay(builtIn, b, passkeys, keys, origin), new PasswordWay(builtIn, c));
  }

  /** The seeded users must look like users of the extension (metadata linked to each passkey). */
  private static void requireSeededMetadata(BenchKeycloak keycloak, String realm, BenchUser user) {
    var passkeys = keycloak.admin().ok(keycloak.admin().get(
        "/realms/" + realm + "/passkeys/v1/users/" + user.id() + "/passkeys")).path("passkeys");
    if (passkeys.size() == 0 || !passkeys.get(0).path("last_used_at").isTextual()
        || !passkeys.get(0).path("synced").asBoolean()) {
      throw new IllegalStateException("seeded passkeys of " + user.username() + " lack their metadata: " + passkeys);
    }
  }

  private void measure(Rounds rounds, List<Way> ways, int passkeys) throws InterruptedException {
    Map<Way, Tally> tallies = new LinkedHashMap<>();
    for (Way way : ways) {
      int warmup = Math.max(1, options.warmupSeconds());
      System.out.printf("bench: warm-up (%s) %s, %d s%n", way.key(), way.label(), warmup);
      Tally probe = new Tally();
      rounds.run(way, warmup, probe);
      if (probe.count() == 0) {
        throw new IllegalStateException("(" + way.key() + ") " + way.label() + " never signed in: "
            + probe.firstError());
      }
      tallies.put(way, new Tally());
    }
    for (int round = 1; round <= options.rounds() && !pastDeadline(); round++) {
      for (Way way : ways) {
        rounds.run(way, options.durationSeconds(), tallies.get(way));
        Tally t = tallies.get(way);
        System.out.printf(Locale.ROOT, "bench: %d passkeys/user round %d (%s): %d sign-ins so far, %.1f/s, %d errors%n",
            passkeys, round, way.key(), t.count(), t.perSecond(), t.errors());
      }
    }
    tallies.forEach((way, tally) -> report.add(new Report.Row(options.users(), passkeys, way, tally)));
  }

  private boolean pastDeadline() {
    return System.nanoTime() > deadline;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
