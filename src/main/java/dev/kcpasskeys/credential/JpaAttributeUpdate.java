package dev.kcpasskeys.credential;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

/**
 * Overwrites the value of one existing user attribute with a single SQL UPDATE in the request's
 * transaction, for the write every passkey sign-in makes (last use), and only while the stored
 * value is older than a cutoff.
 *
 * <p>Why not {@code UserModel.setSingleAttribute}: on Keycloak's JPA store it loads the user and
 * all its attributes (a user with 20 passkeys has over 40), then runs a bulk DELETE of duplicates
 * and an UPDATE. In the benchmark (issue #6) that was about a tenth of our sign-in's server CPU at
 * 20 passkeys per user. This is one statement and reads nothing.
 *
 * <p>Why the cutoff is in the statement: the caller decides on a cached copy of the user that never
 * learns the last use written around it, so the database is the only place that knows for sure
 * whether a write is due. A statement that finds the value recent updates no row and writes nothing
 * (no WAL record on PostgreSQL, no page rewrite on H2). Values are epoch millis of 13 digits (2001
 * to 2286), so comparing them as strings orders them as numbers in every collation.
 *
 * <p>It changes nothing and says so when the user has no such attribute yet, or is not in
 * Keycloak's JPA store (a user storage provider that does not import users); the caller then writes
 * through the user model. Like Keycloak's own attribute writes it leaves the user cache alone.
 */
final class JpaAttributeUpdate {

  private static final Logger LOG = Logger.getLogger(JpaAttributeUpdate.class);
  private static final String UPDATE =
      "update UserAttributeEntity attr set attr.value = :value"
          + " where attr.user.id = :userId and attr.name = :name and attr.value < :olderThan";

  /** Longer values live in another column (Keycloak's long attribute values); never ours. */
  static final int MAX_VALUE_LENGTH = 255;

  private JpaAttributeUpdate() {}

  enum Outcome {
    /** The one stored value was older than the cutoff and now holds the new value. */
    WRITTEN,
    /** No row changed: the stored value is not older than the cutoff, or there is none. */
    NOTHING_CHANGED,
    /**
     * Not Keycloak's JPA store, a statement it refused, or a value too long for it: write through
     * the user model.
     */
    USE_USER_MODEL
  }

  /**
   * Sets the user's attribute {@code name} to {@code value} if its stored value sorts before {@code
   * olderThan}.
   */
  static Outcome overwriteIfOlder(
      KeycloakSession session, String userId, String name, String value, String olderThan) {
    if (value.length() > MAX_VALUE_LENGTH) {
      return Outcome.USE_USER_MODEL;
    }
    EntityManager em = KeycloakJpa.entityManager(session);
    if (em == null) {
      return Outcome.USE_USER_MODEL;
    }
    try {
      int rows =
          em.createQuery(UPDATE)
              .setParameter("value", value)
              .setParameter("userId", userId)
              .setParameter("name", name)
              .setParameter("olderThan", olderThan)
              .executeUpdate();
      return rows == 0 ? Outcome.NOTHING_CHANGED : Outcome.WRITTEN;
    } catch (PersistenceException | IllegalArgumentException | IllegalStateException e) {
      // Written for Keycloak 26.7's entity model; should a later one refuse the query, the model
      // path still works.
      LOG.debugf(
          "Attribute update through JPA failed, writing through the user model: %s", e.toString());
      return Outcome.USE_USER_MODEL;
    }
  }
}
