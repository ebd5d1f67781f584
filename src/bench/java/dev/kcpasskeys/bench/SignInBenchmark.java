package dev.kcpasskeys.bench;

import dev.kcpasskeys.it.support.BenchKeycloak;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.bench.BenchOptions.Config;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bin/benchmark: one Keycloak 26.7.3 with the extension, users seeded by {@code kc.sh import}, then
 * complete OIDC sign-ins in interleaved rounds (rotated: a b c, b c a, c a b, …, and round 1 of every
 * configuration before round 2 of any) so the ways and configurations share the machine's noise;
 * then the JMH ceremony benchmark. Writes target/benchmark/results.{md,csv}.
 */
public final class SignInBenchmark {

  /** Keycloak's heap when its user cache is sized for the run (--user-cache): room for 200 000+ users. */
  private static final String USER_CACHE_HEAP = "-Xms1g -Xmx3g";

  /** Per user, the admin reads that fill what a sign-in reads of them in the user cache. */
  private static final List<String> WARM_READS = List.of("/credentials", "/role-mappings/realm/composite");

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
    report.note(String.format(Locale.ROOT, "Settings: concurrency %d, %d rounds × %d s per way (+%d s warm-up per way "
        + "and configuration, after %d s of JIT warm-up over all of them; configurations interleaved round by round), "
        + "max %d sign-ins per round, %d password users, ways measured: %s",
        options.concurrency(), options.rounds(), options.durationSeconds(), options.warmupSeconds(),
        options.jitWarmupSeconds(), options.maxSignInsPerRound(), options.passwordUsers(),
        String.join(" ", options.ways().chars().mapToObj(c -> "(" + (char) c + ")").toList())));
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

  /** One configuration's realms and users, as written to the import directory. */
  private record Population(Config config, String ours, String builtIn, List<BenchUser> oursUsers,
                            List<BenchUser> builtInUsers, List<BenchUser> passwordUsers) {}

  private void loadTest() throws Exception {
    KeyPool keys = new KeyPool();
    Path importDir = options.outDir().resolve("import");
    Seeder seeder = new Seeder(importDir, keys);
    long t0 = System.nanoTime();
    // Configurations that differ only in how many of the users sign in (@N) share one population.
    Map<Config, Population> seededBy = new LinkedHashMap<>();
    for (Config config : options.configs()) {
      if (!seededBy.containsKey(config.seeded())) {
        System.out.printf("bench: writing %d + %d users with %d passkey(s) each%n", config.users(), config.users(),
            config.passkeys());
        seededBy.put(config.seeded(), write(seeder, config.seeded()));
      }
    }
    List<Population> populations = List.copyOf(seededBy.values());
    double writing = seconds(t0);
    System.setProperty("keycloak.importDir", importDir.toString());
    if (options.userCache() > 0) {
      System.setProperty("keycloak.extraArgs", System.getProperty("keycloak.extraArgs", "")
          + " --cache-embedded-users-max-count=" + options.userCache());
      System.setProperty("keycloak.heap", USER_CACHE_HEAP);
    }
    try (BenchKeycloak keycloak = new BenchKeycloak()) {
      long t1 = System.nanoTime();
      System.out.println("bench: importing (kc.sh import --dir) and starting Keycloak 26.7.3 with the extension");
      keycloak.start();
      double importing = keycloak.server().importSeconds();
      long databasePid = Long.getLong("bench.databasePid", 0L);
      report.note(String.format(Locale.ROOT, "Keycloak 26.7.3 start-dev (%s, local caches, themes cached), "
          + "started in %.0f s after the import; server CPU from /proc/%d/stat%s",
          databasePid == 0 ? "H2 inside Keycloak" : "PostgreSQL on the same machine", seconds(t1) - importing,
          keycloak.javaPid(), databasePid == 0 ? "" : " plus PostgreSQL's processes (postmaster " + databasePid
              + " and its backends)"));
      int seeded = populations.stream().mapToInt(p -> 2 * p.config().users() + p.passwordUsers().size()).sum();
      report.note(String.format(Locale.ROOT, "Seeding: %d users (%s) written in %.0f s, imported with `kc.sh import "
          + "--dir` in %.0f s (%.0f users/s, JVM start and augmentation included)", seeded,
          options.configs().stream().map(Config::label).toList(), writing, importing, seeded / importing));
      long heapBefore = HeapProbe.usedMegabytesAfterGc(keycloak.javaPid());
      CpuClock cpu = new CpuClock(keycloak.javaPid(), databasePid);
      HttpClient http = HttpLogin.newClient();
      String origin = keycloak.server().baseUrl();
      Rounds rounds = new Rounds(http, origin, cpu, options.concurrency(), options.maxSignInsPerRound());
      List<Measured> measured = options.configs().stream()
          .map(c -> new Measured(c, ways(seededBy.get(c.seeded()), c, keys, origin).stream()
              .filter(way -> options.measures(way.key())).toList())).toList();
      warmUpJit(rounds, measured.stream().flatMap(m -> m.ways().stream()).toList());
      // The baseline for the leak check: a server that has served (connection pool, prepared
      // statements, query plans, compiled templates) holds more than one that never did, and
      // that difference is not something the measured sign-ins left behind.
      signOutAndClearCaches(keycloak, populations);
      long heapAfterWarmup = HeapProbe.usedMegabytesAfterGc(keycloak.javaPid());
      Map<String, HeapProbe.Live> classesAfterWarmup = HeapProbe.histogram(keycloak.javaPid());
      if (options.userCache() > 0) {
        warmUserCache(keycloak, measured);
      }
      for (Population population : populations) {
        requireSeededMetadata(keycloak, population.ours(), population.oursUsers().get(0));
      }
      ServerProfile profile = options.profile()
          ? ServerProfile.start(keycloak.javaPid(), options.outDir().resolve("keycloak-rounds.jfr")) : null;
      measure(rounds, measured);
      if (profile != null) {
        System.out.println("bench: splitting the JFR recording by way");
        report.profile(ProfileBreakdown.markdown(profile.stop(), windows(measured)));
      }
      signOutAndClearCaches(keycloak, populations);
      long heapRightAfter = HeapProbe.usedMegabytesAfterGc(keycloak.javaPid());
      // Short-lived entries (authorization codes, used challenges, unfinished sign-ins cut off at
      // the end of a round) expire within minutes; what is still there after that has leaked.
      System.out.printf("bench: heap %d MB right after the run; waiting %d s for short-lived entries to expire%n",
          heapRightAfter, options.heapSettleSeconds());
      Thread.sleep(options.heapSettleSeconds() * 1000L);
      report.heap(heapBefore, heapAfterWarmup, heapRightAfter, HeapProbe.usedMegabytesAfterGc(keycloak.javaPid()));
      // What the heap holds beyond the baseline, by class: the profiler's answer to "what is still there".
      report.heapGrowth(classesAfterWarmup, HeapProbe.histogram(keycloak.javaPid()));
    }
  }

  /**
   * Sign-ins leave user sessions behind until they expire, and fill Keycloak's user and realm
   * caches; with the sessions signed out and the caches cleared (both admin API calls), what is
   * left on the heap is what the server keeps, or what leaked.
   */
  private static void signOutAndClearCaches(BenchKeycloak keycloak, List<Population> populations) {
    for (Population population : populations) {
      for (String realm : List.of(population.ours(), population.builtIn())) {
        for (String call : List.of("logout-all", "clear-user-cache", "clear-realm-cache", "clear-keys-cache")) {
          keycloak.admin().ok(keycloak.admin().post("/realms/" + realm + "/" + call, Map.of()));
        }
      }
    }
  }

  /**
   * Unmeasured sign-ins of every way of every configuration, in turn, before the first measurement:
   * Keycloak's JIT keeps compiling for minutes, and without this the first configuration ran on a
   * colder JIT than the later ones, which flattered the scale ratios (later vs first).
   */
  private void warmUpJit(Rounds rounds, List<Way> all) throws InterruptedException {
    if (options.jitWarmupSeconds() <= 0) {
      return;
    }
    int slice = Math.max(2, options.jitWarmupSeconds() / all.size());
    System.out.printf("bench: JIT warm-up, %d ways × %d s%n", all.size(), slice);
    for (Way way : all) {
      rounds.run(way, slice, new Tally());
    }
  }

  /**
   * What a sign-in reads of its user, loaded into Keycloak's user cache (sized by --user-cache)
   * before measuring, for every user who signs in: per user one admin read of their credentials
   * (looks the user up through the cache and fills the cached credential list) and one of their
   * effective realm roles (fills the cached role mappings and group memberships, which every token
   * needs). Without it each of 100 000 different users misses the cache on their first sign-in, and
   * each signs in about once per run; with it they sign in as returning users do in production once
   * the cache is sized for them (README, production notes). (b) and (c) are loaded alike.
   */
  private void warmUserCache(BenchKeycloak keycloak, List<Measured> measured) throws InterruptedException {
    List<String> users = measured.stream().flatMap(m -> m.ways().stream())
        .flatMap(way -> way.users().stream().map(u -> "/realms/" + way.realm() + "/users/" + u.id()))
        .distinct().toList();
    System.out.printf("bench: loading %d users into the user cache (--cache-embedded-users-max-count=%d)%n",
        users.size(), options.userCache());
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(options.concurrency());
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < options.concurrency(); w++) {
      running.add(readers.submit(() -> {
        for (int i = next.getAndIncrement(); i < users.size(); i = next.getAndIncrement()) {
          for (String read : WARM_READS) {
            if (keycloak.admin().get(users.get(i) + read).status() != 200) {
              failed.incrementAndGet();
            }
          }
          if (i > 0 && i % 50_000 == 0) {
            System.out.printf(Locale.ROOT, "bench: %d users loaded, %.0f s%n", i, seconds(t0));
          }
        }
      }));
    }
    readers.shutdown();
    for (Future<?> reader : running) {
      try {
        // a reader that threw (the server gone, a timeout) fails the run, not a silent half-load
        reader.get(options.maxMinutes(), TimeUnit.MINUTES);
      } catch (ExecutionException | TimeoutException e) {
        readers.shutdownNow();
        throw new IllegalStateException("loading the user cache failed or took over --max-minutes",
            e instanceof ExecutionException ? e.getCause() : e);
      }
    }
    if (failed.get() > 0) {
      throw new IllegalStateException("loading the user cache failed: " + failed.get() + " of "
          + users.size() * WARM_READS.size() + " admin reads did not answer 200");
    }
    report.note(String.format(Locale.ROOT, "User cache: Keycloak started with --cache-embedded-users-max-count=%d "
        + "(heap %s); the %d users who sign in were loaded into it before measuring, %.0f s (admin reads of %s "
        + "per user)", options.userCache(), USER_CACHE_HEAP, users.size(), seconds(t0), WARM_READS));
  }

  private Population write(Seeder seeder, Config config) {
    String ours = "bench-ours-" + config.label();
    String builtIn = "bench-builtin-" + config.label();
    seeder.realm(BenchRealms.ours(ours));
    seeder.realm(BenchRealms.builtIn(builtIn));
    List<BenchUser> a = seeder.passkeyUsers(ours, "pk", config.users(), config.passkeys(), config.recentlyUsed());
    List<BenchUser> b = seeder.passkeyUsers(builtIn, "pk", config.users(), config.passkeys(), config.recentlyUsed());
    List<BenchUser> c = seeder.passwordUsers(builtIn, "pw", Math.min(options.passwordUsers(), config.users()));
    return new Population(config, ours, builtIn, a, b, c);
  }

  /** The four ways over the population's users, or the first {@code @N} of them. */
  private static List<Way> ways(Population p, Config config, KeyPool keys, String origin) {
    int passkeys = p.config().passkeys();
    int active = config.signingIn();
    return List.of(new PasskeyLoginWay(p.ours(), p.oursUsers().subList(0, active), passkeys, keys, origin),
        new BuiltInPasskeyWay(p.builtIn(), p.builtInUsers().subList(0, active), passkeys, keys, origin),
        new PasswordWay(p.builtIn(), p.passwordUsers().subList(0, Math.min(active, p.passwordUsers().size()))),
        new FirstPartyWay(p.ours(), p.oursUsers().subList(0, active), passkeys, keys, origin));
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

  /** One configuration's ways and what they measured. */
  private record Measured(Config config, List<Way> ways, Map<Way, Tally> tallies) {
    Measured(Config config, List<Way> ways) {
      this(config, ways, new LinkedHashMap<>());
    }
  }

  /**
   * Round 1 of every way of every configuration, then round 2, and so on: the rounds of all
   * configurations interleave, so a server still warming up or a machine drifting over the run
   * affects each configuration alike. (Measuring the configurations one after another made the
   * first one the slowest of the run for every way, which flattered the scale ratios.) Within a
   * round the order rotates, for the configurations and for the ways (a b c, b c a, c a b, …), so
   * no way or configuration always follows the same other one.
   */
  private void measure(Rounds rounds, List<Measured> all) throws InterruptedException {
    for (Measured m : all) {
      for (Way way : m.ways()) {
        int warmup = Math.max(1, options.warmupSeconds());
        System.out.printf("bench: warm-up %s (%s) %s, %d s%n", m.config().label(), way.key(), way.label(), warmup);
        Tally probe = new Tally();
        rounds.run(way, warmup, probe);
        if (probe.count() == 0) {
          throw new IllegalStateException("(" + way.key() + ") " + way.label() + " never signed in: "
              + probe.firstError());
        }
        m.tallies().put(way, new Tally());
      }
    }
    int round = 1;
    for (; round <= options.rounds() && !pastDeadline(); round++) {
      List<Measured> configs = new ArrayList<>(all);
      Collections.rotate(configs, -(round - 1));
      for (Measured m : configs) {
        List<Way> order = new ArrayList<>(m.ways());
        Collections.rotate(order, -(round - 1));
        for (Way way : order) {
          Tally t = m.tallies().get(way);
          rounds.run(way, options.durationSeconds(), t);
          System.out.printf(Locale.ROOT, "bench: %s round %d (%s): %d sign-ins so far, %.1f/s, %d errors%n",
              m.config().label(), round, way.key(), t.count(), t.perSecond(), t.errors());
        }
      }
    }
    if (round <= options.rounds()) {
      report.note("Stopped after round " + (round - 1) + " of " + options.rounds() + ": --max-minutes reached");
    }
    for (Measured m : all) {
      m.tallies().forEach((way, tally) -> report.add(new Report.Row(m.config(), way, tally)));
    }
  }

  /** When each measured round of each way ran, for the profile split. */
  private static List<ProfileBreakdown.Window> windows(List<Measured> all) {
    List<ProfileBreakdown.Window> windows = new ArrayList<>();
    for (Measured m : all) {
      m.tallies().forEach((way, tally) -> tally.rounds().forEach(r -> windows.add(new ProfileBreakdown.Window(
          m.config().label(), way.key(), r.startMillis(), r.endMillis(), r.signIns()))));
    }
    return windows;
  }

  private boolean pastDeadline() {
    return System.nanoTime() > deadline;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
