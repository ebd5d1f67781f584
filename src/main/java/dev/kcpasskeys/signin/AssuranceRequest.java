package dev.kcpasskeys.signin;

import dev.kcpasskeys.ceremony.AttestationPolicy;
import dev.kcpasskeys.config.AcrLevels;
import dev.kcpasskeys.credential.Passkey;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.utils.AcrUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What the app asked of this sign-in: Keycloak parses {@code acr_values} and essential {@code acr}
 * claims into a requested level of authentication (the lowest value asked for, through the client's
 * or realm's {@code acr.loa.map}). At or above {@code phr} only a passkey will do; {@code phrh}
 * needs a device-bound one (backup eligibility 0). The extension treats these two values as
 * required, essential or not: a sign-in that cannot meet them ends in an error, never in a token
 * with a lower {@code acr}.
 *
 * @param requested the requested level; below zero when the app asked for none
 * @param phr the level {@code phr} maps to for this app, if it does
 * @param phrh the level {@code phrh} maps to for this app, if it does
 */
public record AssuranceRequest(int requested, OptionalInt phr, OptionalInt phrh) {

  public static AssuranceRequest of(KeycloakSession session, AuthenticationFlowContext context) {
    AcrStore store = new AcrStore(session, context.getAuthenticationSession());
    Map<String, Integer> map =
        AcrUtils.getAcrLoaMap(context.getAuthenticationSession().getClient());
    return new AssuranceRequest(
        store.getRequestedLevelOfAuthentication(context.getTopLevelFlow()),
        level(map, AcrLevels.PHR),
        level(map, AcrLevels.PHRH));
  }

  /**
   * What an app asked for with {@code acr_values}, outside a flow (first-party sign-in): the lowest
   * level among the values this app maps; none when it names none.
   */
  public static AssuranceRequest forAcrValues(ClientModel client, String acrValues) {
    Map<String, Integer> map = AcrUtils.getAcrLoaMap(client);
    int requested =
        acrValues == null || acrValues.isBlank()
            ? -1
            : Arrays.stream(acrValues.trim().split("\\s+"))
                .map(map::get)
                .filter(Objects::nonNull)
                .mapToInt(Integer::intValue)
                .min()
                .orElse(-1);
    return new AssuranceRequest(requested, level(map, AcrLevels.PHR), level(map, AcrLevels.PHRH));
  }

  /**
   * The app asked for a level a passkey does not reach by itself (an admin's own level above {@code
   * phrh}, met by steps of their own flow): only the browser flow can meet it.
   */
  public boolean beyondPasskeys() {
    OptionalInt top = levelOf(true);
    return requested >= 0 && !passkeyRequired() && (top.isEmpty() || requested > top.getAsInt());
  }

  private static OptionalInt level(Map<String, Integer> map, String acr) {
    Integer level = map.get(acr);
    return level == null ? OptionalInt.empty() : OptionalInt.of(level);
  }

  /**
   * The app asked for {@code phr} or {@code phrh}: a password does not do. Other levels (an admin's
   * own, met by steps of their own flow) are left to Keycloak.
   */
  public boolean passkeyRequired() {
    return asks(phr) || asks(phrh);
  }

  /**
   * Whether a passkey counts as hardware-protected ({@code phrh}): device-bound (BE=0), and where
   * the realm asks for attestation, of a model an attestation proved at registration and the
   * metadata still vouches for (a model revoked since then no longer counts).
   */
  public static boolean hardwareProtected(
      boolean deviceBound, Passkey passkey, AttestationPolicy attestation) {
    return hardwareProtected(
        deviceBound, passkey.metadata().modelVerified(), passkey.aaguid(), attestation);
  }

  /** {@link #hardwareProtected(boolean, Passkey, AttestationPolicy)} from a passkey's parts. */
  static boolean hardwareProtected(
      boolean deviceBound,
      boolean modelVerified,
      Optional<UUID> aaguid,
      AttestationPolicy attestation) {
    return deviceBound
        && (!attestation.requested() || (modelVerified && attestation.stillVouchesFor(aaguid)));
  }

  /**
   * The level a passkey reaches: {@code phrh} for a hardware-protected one, else {@code phr}; empty
   * where this app maps neither.
   */
  public OptionalInt levelOf(boolean hardwareProtected) {
    if (hardwareProtected && phrh.isPresent()) {
      return phrh;
    }
    return phr;
  }

  /** Whether a passkey of this kind meets the request: {@code phrh} needs a hardware one. */
  public boolean metBy(boolean hardwareProtected) {
    return !asks(phrh) || hardwareProtected;
  }

  private boolean asks(OptionalInt level) {
    return level.isPresent() && requested == level.getAsInt();
  }

  /**
   * Records the levels a passkey of this kind reached, lowest first, for the {@code acr} claim of
   * this sign-in's tokens. Kept in this request only: a later request for {@code phr} asks for a
   * fresh passkey.
   */
  public void record(
      KeycloakSession session, AuthenticationFlowContext context, boolean hardwareProtected) {
    record(session, context.getAuthenticationSession(), hardwareProtected);
  }

  public void record(
      KeycloakSession session, AuthenticationSessionModel authSession, boolean hardwareProtected) {
    OptionalInt reached = levelOf(hardwareProtected);
    if (reached.isEmpty()) {
      return;
    }
    AcrStore store = new AcrStore(session, authSession);
    if (phr.isPresent() && phr.getAsInt() < reached.getAsInt()) {
      store.setLevelAuthenticated(phr.getAsInt());
    }
    store.setLevelAuthenticated(reached.getAsInt());
  }
}
