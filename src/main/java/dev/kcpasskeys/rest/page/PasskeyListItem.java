package dev.kcpasskeys.rest.page;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.rest.PasskeyRepresentation;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the page, as plain values FreeMarker can read (it escapes them all): the API's
 * representation plus what only the page needs (the WebAuthn credential id for the Signal API,
 * epoch millis for relative times, "used on this device").
 */
final class PasskeyListItem {

  private PasskeyListItem() {}

  static Map<String, Object> of(Passkey passkey, String signedInWith) {
    PasskeyRepresentation rep = PasskeyRepresentation.of(passkey);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", rep.id());
    item.put("name", rep.name());
    item.put(
        "credentialId",
        Base64.getUrlEncoder().withoutPadding().encodeToString(passkey.stored().credentialId()));
    item.put("providerName", rep.provider().name() == null ? "" : rep.provider().name());
    item.put("iconLight", rep.provider().iconLight() == null ? "" : rep.provider().iconLight());
    item.put(
        "iconDark",
        rep.provider().iconDark() == null
            ? rep.provider().iconLight() == null ? "" : rep.provider().iconLight()
            : rep.provider().iconDark());
    item.put("createdAt", rep.createdAt() == null ? "" : rep.createdAt());
    item.put("createdMillis", Long.toString(passkey.createdAt()));
    item.put("lastUsedAt", rep.lastUsedAt() == null ? "" : rep.lastUsedAt());
    item.put(
        "lastUsedMillis",
        rep.lastUsedAt() == null
            ? ""
            : Long.toString(Instant.parse(rep.lastUsedAt()).toEpochMilli()));
    item.put("synced", rep.synced());
    item.put("modelVerified", rep.modelVerified());
    item.put("usedHere", passkey.id().equals(signedInWith));
    // A Keycloak two-factor key: shown, but renamed and deleted in Keycloak's account console only.
    item.put("twoFactor", PasskeyIds.CREDENTIAL_TYPE_TWO_FACTOR.equals(passkey.type()));
    return item;
  }
}
