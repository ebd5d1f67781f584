package dev.kcpasskeys.credential;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;

/**
 * Overwrites the value of one existing user attribute with a single SQL UPDATE in the request's
 * transaction, for the write every passkey sign-in makes (last use).
 *
 * <p>Why not {@code UserModel.setSingleAttribute}: on Keycloak's JPA store it loads the user and
 * all its attributes (a user with 20 passkeys has over 40), then runs a bulk DELETE of duplicates
 * and an UPDATE. In the benchmark (issue #6) that was about a tenth of our sign-in's server CPU at
 * 20 passkeys per user. This is one statement and reads nothing.
 *
 * <p>It only overwrites: when the user has no such attribute yet, or is not in Keycloak's JPA store
 * (a user storage provider that does not import users), it changes nothing and says so, and the
 * caller writes through the user model instead. Like Keycloak's own attribute writes it leaves the
 * user cache alone; the caller decides what readers need.
 */
final class JpaAttributeUpdate {

  private static final Logger LOG = Logger.getLogger(JpaAttributeUpdate.class);
  /** In keycloak-model-jpa, whose 26.7.3 POM is not on Maven Central: looked up at run time. */
  private static final String JPA_CONNECTION_PROVIDER = "org.keycloak.connections.jpa.JpaConnectionProvider";
  private static final String UPDATE = "update UserAttributeEntity attr set attr.value = :value"
      + " where attr.user.id = :userId and attr.name = :name";
  /** Longer values live in another column (Keycloak's long attribute values); never ours. */
  static final int MAX_VALUE_LENGTH = 255;

  private JpaAttributeUpdate() {}

  /** True when exactly one stored attribute {@code name} of the user now has {@code value}. */
  static boolean overwrite(KeycloakSession session, String userId, String name, String value) {
    if (value.length() > MAX_VALUE_LENGTH) {
      return false;
    }
    EntityManager em = entityManager(session);
    if (em == null) {
      return false;
    }
    try {
      return em.createQuery(UPDATE).setParameter("value", value).setParameter("userId", userId)
          .setParameter("name", name).executeUpdate() == 1;
    } catch (PersistenceException | IllegalArgumentException | IllegalStateException e) {
      // Written for Keycloak 26.7's entity model; should a later one refuse the query, the model path still works.
      LOG.debugf("Attribute update through JPA failed, writing through the user model: %s", e.toString());
      return false;
    }
  }

  private static EntityManager entityManager(KeycloakSession session) {
    try {
      Class<? extends Provider> type = Class.forName(JPA_CONNECTION_PROVIDER).asSubclass(Provider.class);
      Object provider = session.getProvider(type);
      return provider == null ? null : (EntityManager) type.getMethod("getEntityManager").invoke(provider);
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      LOG.debugf("No JPA store: %s", e.toString());
      return null;
    }
  }
}
