package dev.kcpasskeys.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real Keycloak 26.7.3 distribution, started as a process with the freshly built JAR in {@code
 * providers/}. Started once per test JVM (see {@link KeycloakExtension}) and stopped by a shutdown
 * hook as well, so an interrupted run leaves no process behind.
 */
public final class KeycloakServer {

  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PASSWORD = "admin-it-password";
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(4);

  private final Path home;
  private final Path log;
  private final int httpPort;
  private final int managementPort;
  private Process process;
  private double importSeconds;

  private KeycloakServer(Path home, Path log, int httpPort, int managementPort) {
    this.home = home;
    this.log = log;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  /** Builds the server from the system properties Failsafe passes (see pom.xml). */
  static KeycloakServer fromSystemProperties() {
    Path home = requiredPath("keycloak.home");
    Path target = requiredPath("passkeys.target");
    return new KeycloakServer(home, target.resolve("keycloak-it.log"), freePort(), freePort());
  }

  static Path requiredPath(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + property + " is not set: run the ITs with ./mvnw verify");
    }
    return Path.of(value);
  }

  public String baseUrl() {
    return "http://localhost:" + httpPort;
  }

  /** Health and metrics live here ({@code /metrics}). */
  public String managementUrl() {
    return "http://localhost:" + managementPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Wall time of the {@code kc.sh import} run before the start (0 without one). */
  public double importSeconds() {
    return importSeconds;
  }

  public Path logFile() {
    return log;
  }

  /** The user-profile option the README asks for (ExistingRealmIT shows what it prevents). */
  public static final String READ_ONLY_ATTRIBUTES = "passkeys.*";

  synchronized void start() {
    killStaleServer();
    installProviderJar();
    installTestThemes();
    deleteRecursively(home.resolve("data"));
    importBeforeStart();
    List<String> command =
        new ArrayList<>(
            List.of(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--hostname-strict=false",
                "--health-enabled=true",
                "--metrics-enabled=true",
                // As the README asks of production: users may not write the extension's passkeys.*
                // records.
                "--spi-user-profile--declarative-user-profile--read-only-attributes="
                    + READ_ONLY_ATTRIBUTES,
                "--cache=local",
                "--log-level="
                    + System.getProperty("keycloak.logLevel", "INFO,dev.kcpasskeys:DEBUG")));
    command.addAll(databaseArgs());
    // The benchmark turns on theme caching (off in start-dev) this way; the ITs pass nothing.
    String extra = System.getProperty("keycloak.extraArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    // The benchmark raises it (keycloak.heap) when it sizes Keycloak's user cache for 100 000s of
    // users.
    builder
        .environment()
        .put("JAVA_OPTS_KC_HEAP", System.getProperty("keycloak.heap", "-Xms256m -Xmx1g"));
    // The benchmark's profiling switch (e.g. a JFR recording); kc.sh appends it to the JVM options.
    String javaOpts = System.getProperty("keycloak.javaOptsAppend", "").trim();
    if (!javaOpts.isEmpty()) {
      builder.environment().put("JAVA_OPTS_APPEND", javaOpts);
    }
    try {
      process = builder.start();
      writePidFile(process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + command, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "keycloak-it-stop"));
    awaitReady();
  }

  /**
   * The benchmark seeds 100 000 users this way: {@code kc.sh import --dir} into the same dev-file
   * database before the server starts takes about a minute per 100 000 users, where the admin API's
   * partial import manages about 100 users a second on two cores.
   */
  private void importBeforeStart() {
    String dir = System.getProperty("keycloak.importDir", "").trim();
    if (dir.isEmpty()) {
      return;
    }
    Path importLog = log.resolveSibling("keycloak-import.log");
    List<String> command =
        new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "import", "--dir", dir));
    command.addAll(databaseArgs());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(importLog.toFile());
    builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms512m -Xmx2g");
    // The import creates the master realm, so it is the run that must create the admin too.
    builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    long started = System.nanoTime();
    try {
      Process importer = builder.start();
      // An interrupted benchmark must not leave the importer's JVM running.
      Thread stopImporter =
          new Thread(() -> importer.descendants().forEach(ProcessHandle::destroyForcibly));
      Runtime.getRuntime().addShutdownHook(stopImporter);
      boolean finished = importer.waitFor(30, java.util.concurrent.TimeUnit.MINUTES);
      if (!finished || importer.exitValue() != 0) {
        stopImporter.run();
        importer.destroyForcibly();
        throw new IllegalStateException("kc.sh import --dir " + dir + " failed; see " + importLog);
      }
      Runtime.getRuntime().removeShutdownHook(stopImporter);
      importSeconds = (System.nanoTime() - started) / 1e9;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run kc.sh import", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while importing", e);
    }
  }

  /**
   * The dev-file H2 database of start-dev, or what {@code keycloak.dbArgs} names (the benchmark's
   * {@code BENCH_DB=postgres}: a throw-away PostgreSQL), for the import and the server alike.
   */
  private static List<String> databaseArgs() {
    String args = System.getProperty("keycloak.dbArgs", "").trim();
    return args.isEmpty() ? List.of("--db=dev-file") : List.of(args.split("\\s+"));
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    URI ready = URI.create("http://localhost:" + managementPort + "/health/ready");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with " + process.exitValue() + " during startup:\n" + logTail(80));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
      }
      sleep(500);
    }
    stop();
    throw new IllegalStateException(
        "Keycloak was not ready after " + STARTUP_TIMEOUT + ":\n" + logTail(80));
  }

  /** Stops the JVM that kc.sh started and everything below it; idempotent. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ProcessHandle root = process.toHandle();
    List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception timeout) {
        handle.destroyForcibly();
      }
    }
    process = null;
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException ignored) {
      // best effort
    }
  }

  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Lines the server logged since {@code mark} (a value of {@link #logSize()}). */
  public String logSince(long mark) {
    try {
      byte[] bytes = Files.readAllBytes(log);
      int from = (int) Math.min(mark, bytes.length);
      return new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public long logSize() {
    try {
      return Files.size(log);
    } catch (IOException e) {
      return 0;
    }
  }

  private void installProviderJar() {
    Path jar = requiredPath("passkeys.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The extension JAR " + jar + " is missing: run ./mvnw verify (package comes first)");
    }
    Path providers = home.resolve("providers");
    try (Stream<Path> old = Files.list(providers)) {
      for (Path p :
          old.filter(p -> p.getFileName().toString().startsWith("keycloak-passkeys")).toList()) {
        Files.delete(p);
      }
      Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Themes of the kind realms with history have (src/test/it-themes, named by the property {@code
   * passkeys.themes} the POM gives the ITs: a login and an account theme that extend Keycloak's),
   * in the server's themes directory, where admins put theirs.
   */
  private void installTestThemes() {
    String dir = System.getProperty("passkeys.themes");
    if (dir == null) {
      return; // a run that needs no realm themes (the benchmark)
    }
    Path source = Path.of(dir);
    Path themes = home.resolve("themes");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path target = themes.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path pidFile() {
    return log.resolveSibling("keycloak-it.pid");
  }

  private void writePidFile(long pid) throws IOException {
    Files.writeString(pidFile(), Long.toString(pid));
  }

  /** A run killed with SIGKILL cannot run its shutdown hook; the next run cleans up after it. */
  private void killStaleServer() {
    try {
      if (!Files.exists(pidFile())) {
        return;
      }
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      Optional<ProcessHandle> stale = ProcessHandle.of(pid);
      stale.ifPresent(
          h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
          });
      Files.deleteIfExists(pidFile());
    } catch (IOException | NumberFormatException e) {
      // nothing to clean
    }
  }

  /**
   * A free port below Linux's ephemeral range (32768+): ports from there are handed to outgoing
   * connections too, and Keycloak binds its ports only after ~30 s of startup.
   */
  static int freePort() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20000 + random.nextInt(12000);
      try (ServerSocket socket = new ServerSocket(port)) {
        socket.setReuseAddress(true);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between 20000 and 32000");
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
