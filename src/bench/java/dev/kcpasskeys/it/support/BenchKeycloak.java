package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The benchmark's door into the IT support: starts one {@link KeycloakServer} (same distribution,
 * same JAR) and names the Keycloak JVM so its CPU time can be read from /proc.
 */
public final class BenchKeycloak implements AutoCloseable {

  private final KeycloakServer server = KeycloakServer.fromSystemProperties();
  private AdminClient admin;

  public BenchKeycloak start() {
    server.start();
    admin = AdminClient.of(server);
    return this;
  }

  public KeycloakServer server() {
    return server;
  }

  public AdminClient admin() {
    return admin;
  }

  /** The demo realm (docker/realm/passkeys-demo.json) under another name, with the IT client. */
  public static ObjectNode demoRealm(String name) {
    return TestRealm.realmRepresentation(name);
  }

  /** The Keycloak JVM: the java process below kc.sh (kc.sh execs or forks it). */
  public long javaPid() {
    long root = rootPid();
    ProcessHandle handle = ProcessHandle.of(root).orElseThrow(() -> new IllegalStateException("kc.sh is gone"));
    Optional<ProcessHandle> java = handle.descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
    return java.map(ProcessHandle::pid).orElse(root);
  }

  private long rootPid() {
    Path pidFile = server.logFile().resolveSibling("keycloak-it.pid");
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("no pid file " + pidFile, e);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
