package dev.kcpasskeys.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

/**
 * Every passkey of a realm in two queries, for the admin stats: the WebAuthn credentials of its
 * users (service accounts excluded) and our metadata attributes. Walking the users through
 * Keycloak's models instead costs two queries per user and fills the user cache with every user of
 * the realm, which at 100 000 users takes minutes.
 *
 * <p>Only reads. Users of a user storage provider that keeps their credentials outside Keycloak's
 * database are not in these tables; {@link PasskeyStore#summaries} walks the users when there is no
 * JPA store at all.
 */
final class JpaPasskeyCensus {

  private static final Logger LOG = Logger.getLogger(JpaPasskeyCensus.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CREDENTIALS =
      "select c.user.id, c.id, c.credentialData from CredentialEntity c"
          + " where c.user.realmId = :realm and c.type in :types and c.user.serviceAccountClientLink is null";
  private static final String METADATA =
      "select a.name, a.value from UserAttributeEntity a"
          + " where a.user.realmId = :realm and a.name like :prefix";

  private JpaPasskeyCensus() {}

  /** Empty when Keycloak has no JPA store or its entity model refused the queries. */
  static Optional<List<PasskeySummary>> of(
      KeycloakSession session, String realmId, Collection<String> types) {
    EntityManager em = KeycloakJpa.entityManager(session);
    if (em == null) {
      return Optional.empty();
    }
    try {
      Map<String, Boolean> syncedById = new HashMap<>();
      try (Stream<Object[]> rows =
          em.createQuery(METADATA, Object[].class)
              .setParameter("realm", realmId)
              .setParameter("prefix", StoredFormat.META_PREFIX + "%")
              .getResultStream()) {
        rows.forEach(
            row ->
                syncedById.put(
                    ((String) row[0]).substring(StoredFormat.META_PREFIX.length()),
                    StoredFormat.parseMetadata((String) row[1]).backupState()));
      }
      List<PasskeySummary> passkeys = new ArrayList<>();
      try (Stream<Object[]> rows =
          em.createQuery(CREDENTIALS, Object[].class)
              .setParameter("realm", realmId)
              .setParameter("types", types)
              .getResultStream()) {
        // Unreadable credential data is skipped, as the passkeys page and the APIs skip it.
        rows.forEach(
            row ->
                credentialData((String) row[2])
                    .ifPresent(
                        data ->
                            passkeys.add(
                                new PasskeySummary(
                                    (String) row[0],
                                    StoredFormat.parseAaguid(data.path("aaguid").asText(null)),
                                    syncedById.getOrDefault((String) row[1], false)))));
      }
      return Optional.of(passkeys);
    } catch (PersistenceException
        | IllegalArgumentException
        | IllegalStateException
        | ClassCastException e) {
      // Written for Keycloak 26.7's entity model; should a later one refuse the queries, walk the
      // users.
      LOG.debugf("Passkey census through JPA failed, walking the users: %s", e.toString());
      return Optional.empty();
    }
  }

  /** Keycloak's credentialData JSON ({@code WebAuthnCredentialData}), if readable. */
  private static Optional<JsonNode> credentialData(String json) {
    try {
      return json == null
          ? Optional.empty()
          : Optional.of(JSON.readTree(json)).filter(JsonNode::isObject);
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }
}
