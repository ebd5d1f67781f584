package dev.kcpasskeys.signin;

import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * How often one app, from one address, may ask for a passkey challenge: {@value #PER_MINUTE} times
 * a minute by default, or what the realm attribute {@value #ATTRIBUTE} says (0: no limit, for a
 * load test behind its own rate limiting). Counted in Keycloak's single-use store (shared by the
 * cluster, expiring by itself), so no node keeps state; two nodes counting the same second may let
 * one or two more through, which is fine for a limit whose job is to stop floods of sessions.
 */
final class FirstPartyRateLimit {

  static final int PER_MINUTE = 20;
  static final String ATTRIBUTE = "passkeys.firstParty.challengesPerMinute";
  private static final String PREFIX = "passkeys.first-party.rate.";

  private FirstPartyRateLimit() {}

  /** Counts this request; false when the app and address are over the limit. */
  static boolean allow(KeycloakSession session, String clientId, String address) {
    int limit = limit(session.getContext().getRealm().getAttribute(ATTRIBUTE));
    if (limit == 0) {
      return true;
    }
    SingleUseObjectProvider store = session.getProvider(SingleUseObjectProvider.class);
    long minute = System.currentTimeMillis() / 60_000;
    String key =
        PREFIX
            + session.getContext().getRealm().getId()
            + "."
            + clientId
            + "."
            + address
            + "."
            + minute;
    Map<String, String> current = store.get(key);
    int count = current == null ? 0 : Integer.parseInt(current.getOrDefault("n", "0"));
    if (count >= limit) {
      return false;
    }
    store.put(key, 61, Map.of("n", Integer.toString(count + 1)));
    return true;
  }

  private static int limit(String attribute) {
    try {
      int value = attribute == null ? PER_MINUTE : Integer.parseInt(attribute.trim());
      return value < 0 ? PER_MINUTE : value;
    } catch (NumberFormatException garbled) {
      return PER_MINUTE;
    }
  }
}
