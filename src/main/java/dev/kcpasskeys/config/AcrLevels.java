package dev.kcpasskeys.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.AcrUtils;
import org.keycloak.util.JsonSerialization;

/**
 * The phishing-resistant ACR values of the OpenID Enterprise Authentication Profile in Keycloak's
 * level-of-authentication map (realm attribute {@code acr.loa.map}): {@code phr}, a passkey of any
 * kind, and {@code phrh}, a device-bound (hardware-protected) passkey. Enabling adds the values the
 * realm does not map yet and remembers which it added; disabling removes only those, so levels an
 * admin mapped stay as they were.
 */
public final class AcrLevels {

  public static final String PHR = "phr";
  public static final String PHRH = "phrh";
  static final int PHR_LEVEL = 2;
  static final int PHRH_LEVEL = 3;
  static final String ADDED = "passkeys.acrAdded";

  private AcrLevels() {}

  /**
   * Maps {@code phr} and {@code phrh} where the realm does not yet: at levels 2 and 3, or, where an
   * admin's own value already uses a level, above every level in use, so that no other acr value
   * ever means a passkey. {@code phrh} stays above {@code phr}.
   */
  static void install(RealmModel realm) {
    Map<String, Integer> map = new LinkedHashMap<>(AcrUtils.getAcrLoaMap(realm));
    List<String> added = new ArrayList<>(PasskeySettings.splitLines(realm.getAttribute(ADDED)));
    if (!map.containsKey(PHR)) {
      map.put(PHR, freeLevel(map, PHR_LEVEL));
      added.add(PHR);
    }
    if (!map.containsKey(PHRH)) {
      map.put(PHRH, freeLevel(map, Math.max(PHRH_LEVEL, map.get(PHR) + 1)));
      added.add(PHRH);
    }
    write(realm, map);
    if (!added.isEmpty()) {
      realm.setAttribute(ADDED, String.join("\n", added.stream().distinct().toList()));
    }
  }

  /** {@code preferred}, unless a value of the map uses it: then the next level above them all. */
  static int freeLevel(Map<String, Integer> map, int preferred) {
    if (!map.containsValue(preferred)) {
      return preferred;
    }
    return Math.max(
        preferred, map.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
  }

  static void uninstall(RealmModel realm) {
    List<String> added = PasskeySettings.splitLines(realm.getAttribute(ADDED));
    if (added.isEmpty()) {
      return;
    }
    Map<String, Integer> map = new LinkedHashMap<>(AcrUtils.getAcrLoaMap(realm));
    added.forEach(map::remove);
    write(realm, map);
    realm.removeAttribute(ADDED);
  }

  private static void write(RealmModel realm, Map<String, Integer> map) {
    if (map.isEmpty()) {
      realm.removeAttribute(Constants.ACR_LOA_MAP);
      return;
    }
    try {
      realm.setAttribute(Constants.ACR_LOA_MAP, JsonSerialization.writeValueAsString(map));
    } catch (IOException e) {
      throw new IllegalStateException("could not write the realm's acr.loa.map", e);
    }
  }
}
