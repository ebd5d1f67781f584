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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger started = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    long serverBefore = server.millis();
    long clientBefore = CpuClock.selfMillis();
    long begin = System.nanoTime();
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
    tally.round(wall, server.millis() - serverBefore, CpuClock.selfMillis() - clientBefore);
    workers.shutdown();
    workers.awaitTermination(10, TimeUnit.SECONDS);
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
