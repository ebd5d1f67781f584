package dev.kcpasskeys.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs one way for one round: N workers signing in back to back until the time or count bound. */
final class Rounds {

  private final OidcSignIn signIn;
  private final CpuClock server;
  private final int concurrency;
  private final int maxSignIns;

  Rounds(HttpClient http, String origin, CpuClock server, int concurrency, int maxSignIns) {
    this.signIn = new OidcSignIn(http, origin);
    this.server = server;
    this.concurrency = concurrency;
    this.maxSignIns = maxSignIns;
  }

  void run(Way way, int seconds, Tally tally) throws InterruptedException {
    settle();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger started = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    long serverBefore = server.millis();
    long databaseBefore = server.databaseMillis();
    long clientBefore = CpuClock.selfMillis();
    long begin = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      running.add(workers.submit(() -> loop(way, deadline, started, tally)));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    double wall = (System.nanoTime() - begin) / 1e9;
    tally.round(wall, server.millis() - serverBefore, server.databaseMillis() - databaseBefore,
        CpuClock.selfMillis() - clientBefore, startMillis, System.currentTimeMillis());
    workers.shutdown();
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }

  /**
   * Lets the previous round's after-effects finish before this round's clock starts: a full GC on
   * the server (the password way leaves gigabytes of garbage behind, whose collection would
   * otherwise be billed to the next way), then wait until the server is idle (its background work:
   * JIT compilation, H2's chunk rewriting). Bounded: at most about ten seconds.
   */
  private void settle() throws InterruptedException {
    HeapProbe.usedMegabytesAfterGc(server.pid());
    for (int i = 0; i < 20; i++) {
      long before = server.millis();
      Thread.sleep(500);
      if (server.millis() - before < 25) { // under 5 % of one core
        return;
      }
    }
  }

  private void loop(Way way, long deadline, AtomicInteger started, Tally tally) {
    while (System.nanoTime() < deadline && started.incrementAndGet() <= maxSignIns) {
      long t0 = System.nanoTime();
      try {
        signIn.run(way, way.anyUser());
        tally.success((System.nanoTime() - t0) / 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        tally.error(e);
      }
    }
  }
}
