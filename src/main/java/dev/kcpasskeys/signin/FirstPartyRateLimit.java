package dev.kcpasskeys.signin;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * How often one app, from one address, may ask for a passkey challenge: {@value #PER_MINUTE} times
 * a minute by default, or what the realm attribute {@value #ATTRIBUTE} says (0: no limit, for a
 * load test behind its own rate limiting). Counted in Keycloak's single-use store (shared by the
 * cluster, expiring by itself), so no node keeps state.
 */
final class FirstPartyRateLimit {

  static final int PER_MINUTE = 20;
  static final int MAX_PER_MINUTE = 10_000;
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
    // One slot per challenge, claimed atomically: a burst on several threads or nodes cannot
    // count past the limit (a get-then-put could). Slots fill in order, so a binary search finds
    // the first free one and a few claims settle a race.
    int low = 0;
    int high = limit;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (store.contains(key + "." + middle)) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    for (int slot = low; slot < limit; slot++) {
      if (store.putIfAbsent(key + "." + slot, 61)) {
        return true;
      }
    }
    return false;
  }

  private static int limit(String attribute) {
    try {
      int value = attribute == null ? PER_MINUTE : Integer.parseInt(attribute.trim());
      return value < 0 ? PER_MINUTE : Math.min(value, MAX_PER_MINUTE);
    } catch (NumberFormatException garbled) {
      return PER_MINUTE;
    }
  }
}
