package dev.kcpasskeys.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two clustered Keycloak nodes and their PostgreSQL, run by {@code src/test/cluster/cluster.sh}.
 * Node A is {@code http://localhost:18100}, node B {@code http://localhost:18102} (shifted by the
 * system property {@code cluster.port.base}); both are {@code localhost}, so one browser shares its
 * cookies between them and the WebAuthn RP ID is the same.
 */
public final class Cluster {

  private final Path script;
  private final Path stateDir;
  private final int portBase = Integer.getInteger("cluster.port.base", 18100);
  private final AdminClient adminA;
  private final AdminClient adminB;

  Cluster() {
    Path target = KeycloakServer.requiredPath("passkeys.target");
    this.script = target.getParent().resolve("src/test/cluster/cluster.sh");
    this.stateDir = target.resolve("cluster");
    this.adminA = AdminClient.at(nodeA());
    this.adminB = AdminClient.at(nodeB());
  }

  public String nodeA() {
    return "http://localhost:" + portBase;
  }

  public String nodeB() {
    return "http://localhost:" + (portBase + 2);
  }

  public AdminClient adminA() {
    return adminA;
  }

  public AdminClient adminB() {
    return adminB;
  }

  /**
   * The same URL on the node at {@code base}: what a load balancer does when it routes elsewhere.
   */
  public static String onNode(String url, String base) {
    return url.replaceFirst("^http://localhost:\\d+", base);
  }

  void up() {
    run("up");
  }

  void down() {
    run("down");
  }

  /** SIGKILLs node A (its whole process group). */
  public void killA() {
    run("kill-a");
  }

  /** Starts node A again and waits until both nodes see a cluster of two. */
  public void startA() {
    run("start-a");
  }

  /**
   * Removes the extension from node A as an admin would (a Keycloak without the JAR, {@code kc.sh
   * build}, start) and waits until it serves; node A must be down. The next cluster start has it
   * again.
   */
  public void uninstallFromA() {
    run("uninstall-a");
  }

  public void stopDatabase() {
    run("pg-stop");
  }

  public void startDatabase() {
    run("pg-start");
  }

  /**
   * Runs one SQL statement on Keycloak's database as the PostgreSQL superuser (to inject faults or
   * look at what was stored); returns what psql printed (unaligned, tuples only), trimmed.
   */
  public String sql(String statement) {
    Path out = stateDir.resolve("sql-output.txt");
    run(ProcessBuilder.Redirect.to(out.toFile()), "sql", statement);
    try {
      return Files.readString(out).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String logTail(String node, int lines) {
    try {
      List<String> all = Files.readAllLines(stateDir.resolve("logs/node-" + node + ".log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void run(String command) {
    run(null, command);
  }

  /**
   * Runs cluster.sh; its standard output goes to {@code output} if given, else with its errors to
   * the log.
   */
  private void run(ProcessBuilder.Redirect output, String command, String... arguments) {
    Path log = stateDir.resolve("cluster-sh.log");
    List<String> commandLine = new ArrayList<>(List.of("bash", script.toString(), command));
    commandLine.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(commandLine);
    if (output == null) {
      builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    } else {
      builder.redirectOutput(output).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    builder.environment().put("KC_DIST", KeycloakServer.requiredPath("keycloak.home").toString());
    builder
        .environment()
        .put("PASSKEYS_JAR", KeycloakServer.requiredPath("passkeys.jar").toString());
    builder.environment().put("STATE_DIR", stateDir.toString());
    builder.environment().put("PORT_BASE", Integer.toString(portBase));
    builder.environment().put("KC_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
    try {
      Files.createDirectories(stateDir);
      Process process = builder.start();
      if (!process.waitFor(6, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "cluster.sh " + command + " did not finish in 6 minutes, see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "cluster.sh " + command + " failed (" + process.exitValue() + "):\n" + tail(log, 15));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
