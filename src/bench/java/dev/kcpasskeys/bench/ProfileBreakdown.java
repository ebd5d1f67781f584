package dev.kcpasskeys.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits the server's CPU samples by the round they fell in, so each way of each configuration
 * gets its own profile from the same interleaved run, and puts (a) next to (b): per area of code,
 * and per Keycloak or extension method, in samples per 100 sign-ins. The question it answers is
 * "what does one way do that the other does not", which one profile of the whole run cannot.
 */
final class ProfileBreakdown {

  /** One measured round: which configuration and way ran from start to end, and how many sign-ins. */
  record Window(String config, String way, long startMillis, long endMillis, int signIns) {}

  /**
   * Areas of code, by the deepest frame of a sample in one of them (the library doing the work):
   * JDK frames (collections, strings) count for the library that called them.
   */
  private static final Map<String, List<String>> AREAS = areas();

  private static final int TOP_METHODS = 12;

  /** Samples of one configuration and way: per area and per method. */
  private static final class Counts {
    int signIns;
    int samples;
    long allocatedBytes;
    final Map<String, Integer> byArea = new HashMap<>();
    final Map<String, Integer> byMethod = new HashMap<>();
    final Map<String, Integer> byStep = new HashMap<>();

    double per100(Map<String, Integer> counts, String key) {
      return signIns == 0 ? Double.NaN : 100.0 * counts.getOrDefault(key, 0) / signIns;
    }
  }

  private ProfileBreakdown() {}

  private static Map<String, List<String>> areas() {
    Map<String, List<String>> areas = new LinkedHashMap<>();
    areas.put("extension (dev.kcpasskeys)", List.of("dev.kcpasskeys."));
    areas.put("webauthn4j", List.of("com.webauthn4j."));
    areas.put("JCA crypto (signatures, digests)", List.of("sun.security.", "java.security.", "javax.crypto.",
        "com.sun.crypto.", "org.bouncycastle."));
    areas.put("FreeMarker (pages)", List.of("freemarker."));
    areas.put("database (Hibernate, JDBC, pool)", List.of("org.hibernate.", "org.postgresql.", "org.h2.", "io.agroal.",
        "jakarta.persistence."));
    areas.put("Infinispan (caches, sessions)", List.of("org.infinispan.", "org.jgroups."));
    areas.put("Jackson (JSON)", List.of("com.fasterxml.jackson."));
    areas.put("Keycloak", List.of("org.keycloak."));
    areas.put("HTTP (Vert.x, Netty, RESTEasy, Quarkus)", List.of("io.vertx.", "io.netty.", "org.jboss.resteasy.",
        "io.quarkus.", "io.smallrye."));
    return areas;
  }

  static String markdown(Path recording, List<Window> windows) throws IOException {
    List<Window> sorted = windows.stream().sorted(Comparator.comparingLong(Window::startMillis)).toList();
    Map<String, Map<String, Counts>> byConfig = new LinkedHashMap<>();
    for (Window w : sorted) {
      byConfig.computeIfAbsent(w.config(), k -> new LinkedHashMap<>()).computeIfAbsent(w.way(), k -> new Counts())
          .signIns += w.signIns();
    }
    int outside = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        boolean cpu = type.equals("jdk.ExecutionSample") && event.getStackTrace() != null;
        if (!cpu && !type.equals("jdk.ObjectAllocationSample")) {
          continue;
        }
        Optional<Window> window = windowAt(sorted, event.getStartTime().toEpochMilli());
        if (window.isEmpty()) {
          outside += cpu ? 1 : 0;
          continue;
        }
        Counts counts = byConfig.get(window.get().config()).get(window.get().way());
        if (!cpu) {
          // Each allocation sample stands for the bytes its thread allocated since the last one.
          counts.allocatedBytes += event.getLong("weight");
          continue;
        }
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        counts.samples++;
        counts.byArea.merge(area(frames), 1, Integer::sum);
        counts.byMethod.merge(method(frames), 1, Integer::sum);
        counts.byStep.merge(step(frames, event.getThread("sampledThread")), 1, Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder("## Server profile by way (JFR, measured rounds only)\n\n")
        .append("CPU samples of Keycloak's Java threads (one per running thread every 10 ms; PostgreSQL's own CPU ")
        .append("is not in it) per 100 sign-ins, split by the round each fell in. A sample counts for the ")
        .append("deepest area it was in. ").append(outside)
        .append(" samples fell between rounds (settling, GC runs) and are left out.\n");
    byConfig.forEach((config, ways) -> {
      for (String other : List.of("b", "d")) {
        table(out, config, ways, other);
      }
    });
    return out.toString();
  }

  /** (a) next to another way: (b) the built-in, (d) the first-party sign-in. */
  private static void table(StringBuilder out, String config, Map<String, Counts> ways, String other) {
    Counts a = ways.get("a");
    Counts b = ways.get(other);
    if (a == null || b == null) {
      return;
    }
    String x = "(" + other + ")";
    out.append("\n### ").append(config).append(" — (a) ").append(a.signIns).append(" sign-ins, ").append(x)
        .append(" ").append(b.signIns).append(String.format(Locale.ROOT,
            "; allocated per sign-in: (a) %.0f KB, %s %.0f KB%n",
            a.allocatedBytes / 1024.0 / a.signIns, x, b.allocatedBytes / 1024.0 / b.signIns))
        .append("\n| area | (a) | ").append(x).append(" | (a) − ").append(x).append(" |\n|---|---:|---:|---:|\n");
    List<String> areas = new ArrayList<>(AREAS.keySet());
    areas.add("other (JDK only)");
    row(out, "all samples", 100.0 * a.samples / a.signIns, 100.0 * b.samples / b.signIns);
    for (String area : areas) {
      row(out, area, a.per100(a.byArea, area), b.per100(b.byArea, area));
    }
    out.append("\nBy step of the sign-in (the endpoint a sample ran under; the commit of each request's ")
        .append("database writes runs after its endpoint returns, so it is a step of its own):\n\n")
        .append("| step | (a) | ").append(x).append(" | (a) − ").append(x).append(" |\n|---|---:|---:|---:|\n");
    for (String step : STEPS) {
      row(out, step, a.per100(a.byStep, step), b.per100(b.byStep, step));
    }
    out.append("\nMethods (the deepest Keycloak or extension frame of each sample) where (a) and ").append(x)
        .append(" differ most:\n\n")
        .append("| method | (a) | ").append(x).append(" | (a) − ").append(x).append(" |\n|---|---:|---:|---:|\n");
    Set<String> methods = new HashSet<>(a.byMethod.keySet());
    methods.addAll(b.byMethod.keySet());
    methods.stream()
        .sorted(Comparator.comparingDouble(m -> -Math.abs(a.per100(a.byMethod, m) - b.per100(b.byMethod, m))))
        .limit(TOP_METHODS)
        .forEach(m -> row(out, "`" + m + "`", a.per100(a.byMethod, m), b.per100(b.byMethod, m)));
  }

  private static void row(StringBuilder out, String label, double a, double b) {
    out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f |%n", label, a, b, a - b));
  }

  private static Optional<Window> windowAt(List<Window> sorted, long millis) {
    for (Window w : sorted) {
      if (millis >= w.startMillis() && millis <= w.endMillis()) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  private static final String COMMIT = "commit of a request's transaction (database writes)";
  private static final String REQUEST = "request handling outside the endpoints (HTTP, Vert.x)";
  private static final String BACKGROUND = "background threads (H2 writer, expiration)";

  /** Endpoints by their class, in the order a sign-in meets them; then what runs around them. */
  private static final Map<String, String> ENDPOINTS = Map.of(
      "org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint", "authorization endpoint (login page)",
      "org.keycloak.services.resources.LoginActionsService", "login form post (LoginActionsService)",
      "dev.kcpasskeys.rest.AuthorizationChallengeResource", "first-party challenge endpoint (both steps)",
      "org.keycloak.protocol.oidc.endpoints.TokenEndpoint", "token endpoint");

  private static final List<String> STEPS = List.of(
      "authorization endpoint (login page)", "login form post (LoginActionsService)",
      "first-party challenge endpoint (both steps)", "token endpoint", COMMIT, REQUEST, BACKGROUND);

  /** The endpoint nearest the thread's root, or the commit or plumbing around it. */
  private static String step(List<RecordedFrame> frames, jdk.jfr.consumer.RecordedThread thread) {
    boolean commit = false;
    for (int i = frames.size() - 1; i >= 0; i--) {
      String type = frames.get(i).getMethod().getType().getName();
      String endpoint = ENDPOINTS.get(type);
      if (endpoint != null) {
        return endpoint;
      }
      commit |= type.equals("org.keycloak.transaction.JtaTransactionWrapper")
          || type.equals("org.keycloak.services.DefaultKeycloakTransactionManager");
    }
    if (commit) {
      return COMMIT;
    }
    String name = thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
    return name.startsWith("executor-thread") || name.startsWith("vert.x-eventloop") ? REQUEST : BACKGROUND;
  }

  /** The area of the deepest frame (from the leaf up) that belongs to one. */
  private static String area(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      for (Map.Entry<String, List<String>> area : AREAS.entrySet()) {
        if (area.getValue().stream().anyMatch(type::startsWith)) {
          return area.getKey();
        }
      }
    }
    return "other (JDK only)";
  }

  /** The deepest Keycloak or extension method of a sample, as SimpleClass.method. */
  private static String method(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("org.keycloak.") || type.startsWith("dev.kcpasskeys.")) {
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
      }
    }
    return "(no Keycloak frame)";
  }
}
