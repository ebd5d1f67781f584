package dev.kcpasskeys.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link CeremonyBenchmark} in one forked JVM (no Keycloak running); µs per operation by method. */
final class CeremonyJmh {

  record Score(double micros, double error) {}

  private CeremonyJmh() {}

  static Map<String, Score> run() throws RunnerException {
    Options options = new OptionsBuilder()
        .include(CeremonyBenchmark.class.getName() + "\\.")
        .forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(2))
        .measurementIterations(5).measurementTime(TimeValue.seconds(2))
        .timeUnit(TimeUnit.MICROSECONDS)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Score> scores = new LinkedHashMap<>();
    for (RunResult result : results) {
      String method = result.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      scores.put(method, new Score(result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
    }
    return scores;
  }
}
