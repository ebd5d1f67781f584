package dev.kcpasskeys.credential;

import jakarta.persistence.EntityManager;
import java.util.Base64;
import java.util.Collection;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

/**
 * Whether any WebAuthn credential of the realm in Keycloak's database, whoever registered it
 * (Keycloak's built-in passkeys and two-factor keys included, and those of federated users Keycloak
 * keeps in its federated storage), has this credential ID (WebAuthn L3 §7.1 step 26). The
 * extension's own index only knows the credentials it saw being made. Only reads; it scans the
 * realm's WebAuthn credentials' JSON, which a registration, a rare event, can afford.
 */
final class JpaCredentialIds {

  private static final Logger LOG = Logger.getLogger(JpaCredentialIds.class);
  private static final String LOCAL =
      "select count(c) from CredentialEntity c"
          + " where c.user.realmId = :realm and c.type in :types and c.credentialData like :credentialId";
  private static final String FEDERATED =
      "select count(c) from FederatedUserCredentialEntity c"
          + " where c.realmId = :realm and c.type in :types and c.credentialData like :credentialId";

  private JpaCredentialIds() {}

  /**
   * False too when Keycloak keeps no JPA store or its entity model refused the query (the index
   * still answers).
   */
  static boolean anyHas(
      KeycloakSession session, String realmId, Collection<String> types, byte[] credentialId) {
    EntityManager em = KeycloakJpa.entityManager(session);
    if (em == null) {
      return false;
    }
    // Keycloak writes the ID into WebAuthnCredentialData as standard base64: no LIKE wildcards in
    // it.
    String pattern =
        "%\"credentialId\":\"" + Base64.getEncoder().encodeToString(credentialId) + "\"%";
    try {
      for (String query : new String[] {LOCAL, FEDERATED}) {
        long found =
            em.createQuery(query, Long.class)
                .setParameter("realm", realmId)
                .setParameter("types", types)
                .setParameter("credentialId", pattern)
                .getSingleResult();
        if (found > 0) {
          return true;
        }
      }
      return false;
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Written for Keycloak 26.7's entity model; a later one that refuses the query leaves the
      // index.
      // A database that cannot be reached throws a PersistenceException, which the caller turns
      // into
      // "try again", never into "unique".
      LOG.debugf("Credential ID lookup through JPA failed: %s", e.toString());
      return false;
    }
  }
}
