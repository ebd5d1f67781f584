package dev.kcpasskeys.challenge;

import java.util.Base64;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Ceremony challenges: stored only on the server, in the authentication session of the login tab
 * (so bound to that tab), tagged with the ceremony type, and consumed exactly once cluster-wide.
 *
 * <p>Consuming removes the note and claims the challenge in Keycloak's single-use store with {@code
 * putIfAbsent}, which is atomic across the cluster: of two nodes handed the same POST, only one
 * proceeds (security checklist §0.1, Keycloak #52398). It happens before verification, so a failed
 * attempt burns the challenge too (Keycloak #49921).
 */
public final class ChallengeStore {

  /**
   * What a challenge was issued for. {@code UPGRADE} is the conditional create of an automatic
   * passkey upgrade: the only challenge whose response may lack user presence (WebAuthn L3 §7.1
   * step 15), so it has a note of its own and a response to a {@code REGISTER} challenge can never
   * claim that mode.
   */
  public enum Ceremony {
    REGISTER,
    AUTHENTICATE,
    UPGRADE
  }

  private static final String NOTE_PREFIX = "passkeys.challenge.";
  private static final String ISSUED_SUFFIX = ".issued";

  private final KeycloakSession session;
  private final AuthenticationSessionModel authSession;

  public ChallengeStore(KeycloakSession session, AuthenticationSessionModel authSession) {
    this.session = session;
    this.authSession = authSession;
  }

  /** Remembers a fresh challenge for this tab, replacing any earlier one of the same ceremony. */
  public void put(Ceremony ceremony, byte[] challenge) {
    authSession.setAuthNote(
        NOTE_PREFIX + ceremony, Base64.getUrlEncoder().withoutPadding().encodeToString(challenge));
    authSession.setAuthNote(
        NOTE_PREFIX + ceremony + ISSUED_SUFFIX, Long.toString(System.currentTimeMillis()));
  }

  /**
   * Takes the tab's challenge for this ceremony. Empty when there is none, it expired, or another
   * request (on any node) already took it.
   */
  public Optional<byte[]> consume(Ceremony ceremony, long timeoutMillis) {
    String value = authSession.getAuthNote(NOTE_PREFIX + ceremony);
    String issued = authSession.getAuthNote(NOTE_PREFIX + ceremony + ISSUED_SUFFIX);
    authSession.removeAuthNote(NOTE_PREFIX + ceremony);
    authSession.removeAuthNote(NOTE_PREFIX + ceremony + ISSUED_SUFFIX);
    if (value == null || issued == null) {
      return Optional.empty();
    }
    long age = System.currentTimeMillis() - parseLong(issued);
    if (age < 0 || age > timeoutMillis) {
      return Optional.empty();
    }
    long lifespanSeconds = Math.max(1, (timeoutMillis - age) / 1000 + 60);
    boolean first =
        session
            .getProvider(SingleUseObjectProvider.class)
            .putIfAbsent("passkeys.challenge-used." + value, lifespanSeconds);
    return first ? Optional.of(Base64.getUrlDecoder().decode(value)) : Optional.empty();
  }

  /**
   * Forgets the tab's challenge for this ceremony unused (an attempt that ended without a
   * response).
   */
  public void discard(Ceremony ceremony) {
    authSession.removeAuthNote(NOTE_PREFIX + ceremony);
    authSession.removeAuthNote(NOTE_PREFIX + ceremony + ISSUED_SUFFIX);
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
