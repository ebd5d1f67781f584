package dev.kcpasskeys.credential;

import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;

/**
 * The request's JPA EntityManager from Keycloak's JPA connection provider, when Keycloak has one.
 */
final class KeycloakJpa {

  private static final Logger LOG = Logger.getLogger(KeycloakJpa.class);

  /** In keycloak-model-jpa, whose 26.7.3 POM is not on Maven Central: looked up at run time. */
  private static final String JPA_CONNECTION_PROVIDER =
      "org.keycloak.connections.jpa.JpaConnectionProvider";

  private KeycloakJpa() {}

  /** Null when Keycloak has no JPA store (callers then go through Keycloak's models). */
  static EntityManager entityManager(KeycloakSession session) {
    try {
      Class<? extends Provider> type =
          Class.forName(JPA_CONNECTION_PROVIDER).asSubclass(Provider.class);
      Object provider = session.getProvider(type);
      return provider == null
          ? null
          : (EntityManager) type.getMethod("getEntityManager").invoke(provider);
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      LOG.debugf("No JPA store: %s", e.toString());
      return null;
    }
  }
}
