package dev.kcpasskeys.challenge;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Registrations started over the API ({@code POST /v1/me/passkeys}) and not finished yet. They live
 * in Keycloak's single-use store (replicated across the cluster, with a lifespan), so any node can
 * finish them, they expire by themselves, and taking one is atomic: a pending registration is used
 * at most once, on success or failure.
 */
public final class PendingRegistrations {

  /** What the server remembers about a started registration. */
  public record Pending(String userId, String sessionId, byte[] challenge) {}

  private static final String PREFIX = "passkeys.pending.";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SingleUseObjectProvider store;

  public PendingRegistrations(KeycloakSession session) {
    this.store = session.getProvider(SingleUseObjectProvider.class);
  }

  /** Returns the id the app uses to finish this registration. */
  public String start(Pending pending, long lifespanSeconds) {
    byte[] random = new byte[18];
    RANDOM.nextBytes(random);
    String id = "pk_reg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    store.put(
        PREFIX + id,
        lifespanSeconds,
        Map.of(
            "user",
            pending.userId(),
            "session",
            pending.sessionId(),
            "challenge",
            Base64.getUrlEncoder().withoutPadding().encodeToString(pending.challenge())));
    return id;
  }

  /** Takes (and so ends) a pending registration; empty when unknown, expired or already taken. */
  public Optional<Pending> take(String id) {
    if (id == null || !id.matches("pk_reg_[A-Za-z0-9_-]{24}")) {
      return Optional.empty();
    }
    Map<String, String> data = store.remove(PREFIX + id);
    if (data == null || data.get("challenge") == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Pending(
            data.get("user"),
            data.get("session"),
            Base64.getUrlDecoder().decode(data.get("challenge"))));
  }
}
