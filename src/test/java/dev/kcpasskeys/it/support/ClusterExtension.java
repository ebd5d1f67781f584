package dev.kcpasskeys.it.support;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts the two-node cluster once for the test class that uses it and stops it after that class; a
 * shutdown hook stops it too when the run is interrupted. Prints both nodes' log tails on failure.
 */
@SuppressWarnings(
    "deprecation") // CloseableResource keeps working on JUnit 5.x, as in KeycloakExtension
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  public static Cluster cluster(ExtensionContext context) {
    return context
        .getStore(NS)
        .getOrComputeIfAbsent("cluster", k -> new Running(), Running.class)
        .cluster;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Cluster cluster = cluster(context);
    for (String node : new String[] {"a", "b"}) {
      System.err.println(
          "---- node " + node + " log (last 40 lines, all in target/cluster/logs) ----");
      System.err.println(cluster.logTail(node, 40));
    }
  }

  private static final class Running
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final Cluster cluster = new Cluster();
    private final Thread hook = new Thread(cluster::down, "cluster-down");

    Running() {
      Runtime.getRuntime().addShutdownHook(hook);
      Instant started = Instant.now();
      cluster.up();
      System.out.println(
          "cluster up in " + Duration.between(started, Instant.now()).toSeconds() + " s");
    }

    @Override
    public void close() {
      cluster.down();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway; down is idempotent
      }
    }
  }
}
