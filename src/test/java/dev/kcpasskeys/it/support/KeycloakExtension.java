package dev.kcpasskeys.it.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts one Keycloak for the whole test run (stored in the root context, closed at the end) and
 * prints the server log's tail when a test fails.
 */
@SuppressWarnings(
    "deprecation") // CloseableResource keeps working on JUnit 5.x; AutoCloseable is the 6.x way
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(KeycloakExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  /** The shared server, started on first use. */
  public static KeycloakServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("server", k -> new Running(), Running.class)
        .server;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KeycloakServer.class || type == AdminClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KeycloakServer server = server(context);
    return parameter.getParameter().getType() == KeycloakServer.class
        ? server
        : AdminClient.of(server);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    KeycloakServer server = server(context);
    System.err.println(
        "---- Keycloak log (last 60 lines, full log: " + server.logFile() + ") ----");
    System.err.println(server.logTail(60));
  }

  private static final class Running
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final KeycloakServer server = KeycloakServer.fromSystemProperties();

    Running() {
      server.start();
    }

    @Override
    public void close() {
      server.stop();
    }
  }
}
