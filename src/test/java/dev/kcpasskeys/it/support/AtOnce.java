package dev.kcpasskeys.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs calls at the same moment (released together by a latch) and returns what each ended with.
 */
public final class AtOnce {

  /** What one call returned, or the exception it threw. */
  public record Outcome<T>(T value, Throwable failure) {
    public boolean failed() {
      return failure != null;
    }
  }

  private AtOnce() {}

  @SafeVarargs
  public static <T> List<Outcome<T>> run(Supplier<T>... calls) {
    ExecutorService pool = Executors.newFixedThreadPool(calls.length);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Supplier<T> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.get();
                }));
      }
      go.countDown();
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (Future<T> future : futures) {
        outcomes.add(outcome(future));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> Outcome<T> outcome(Future<T> future) {
    try {
      return new Outcome<>(future.get(90, TimeUnit.SECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause());
    } catch (TimeoutException e) {
      return new Outcome<>(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome<>(null, e);
    }
  }
}
