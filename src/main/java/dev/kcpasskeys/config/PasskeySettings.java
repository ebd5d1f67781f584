package dev.kcpasskeys.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.keycloak.models.RealmModel;

/**
 * A realm's passkey policy: a typed, defaulted view of realm attributes. Realm attributes live in
 * the database and Keycloak's realm cache invalidates them across the cluster, so every node sees
 * the same policy without any state of ours in memory.
 *
 * @param enabled passkeys switched on with the one admin action (flow + required action)
 * @param rpId the WebAuthn RP ID; empty means "the host of the request"
 * @param rpName shown by the browser's passkey dialog; empty means the realm's display name
 * @param origins extra allowed origins (sibling subdomains, {@code android:apk-key-hash:...})
 * @param userVerification always "required" for passkeys; kept in the shape for clarity
 * @param attestation conveyance preference sent to the browser ({@link AttestationSettings})
 * @param allowedAaguids authenticator models allowed to register; empty allows any
 * @param previousBrowserFlow the browser flow to restore when passkeys are switched off
 * @param notifyEmail e-mail users when a passkey is added to or removed from their account (by
 *     default on where the realm has e-mail settings)
 */
public record PasskeySettings(
    boolean enabled,
    Optional<String> rpId,
    Optional<String> rpName,
    List<String> origins,
    String userVerification,
    String attestation,
    Set<UUID> allowedAaguids,
    Optional<String> previousBrowserFlow,
    boolean notifyEmail) {

  static final String PREFIX = "passkeys.";
  static final String ENABLED = PREFIX + "enabled";
  static final String RP_ID = PREFIX + "rpId";
  static final String RP_NAME = PREFIX + "rpName";
  static final String ORIGINS = PREFIX + "origins";
  static final String ALLOWED_AAGUIDS = PREFIX + "allowedAaguids";
  static final String PREVIOUS_FLOW = PREFIX + "previousBrowserFlow";
  static final String REAUTH_SECONDS = PREFIX + "reauthenticationSeconds";
  static final String NOTIFY_EMAIL = PREFIX + "notify.email";
  static final String UPGRADE_ENABLED = PREFIX + "upgrade.enabled";
  static final String TWO_FACTOR_KEYS_SIGN_IN = PREFIX + "twoFactorKeys.signIn";
  static final String AMR_CLAIM = PREFIX + "amr.claim";
  static final long DEFAULT_REAUTH_SECONDS = 300;

  public PasskeySettings {
    origins = List.copyOf(origins);
    allowedAaguids = Set.copyOf(allowedAaguids);
  }

  public static PasskeySettings defaults() {
    return new PasskeySettings(
        false,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        "required",
        "none",
        Set.of(),
        Optional.empty(),
        false);
  }

  /** Reads the realm's settings; a missing or garbled attribute falls back to its default. */
  public static PasskeySettings read(RealmModel realm) {
    if (realm == null) {
      return defaults();
    }
    return new PasskeySettings(
        Boolean.parseBoolean(realm.getAttribute(ENABLED)),
        nonBlank(realm.getAttribute(RP_ID)).map(s -> s.toLowerCase(Locale.ROOT)),
        nonBlank(realm.getAttribute(RP_NAME)),
        splitLines(realm.getAttribute(ORIGINS)).stream()
            .filter(o -> RelyingPartyPolicy.originProblem(o).isEmpty())
            .toList(),
        "required",
        AttestationSettings.read(realm).conveyance(),
        parseAaguids(realm.getAttribute(ALLOWED_AAGUIDS)),
        nonBlank(realm.getAttribute(PREVIOUS_FLOW)),
        notifyEmail(realm));
  }

  /**
   * Origins in the realm attribute that are not origins (written by hand or by an import, never
   * through the settings checks): ignored, so that one cannot break every sign-in, and named in the
   * settings API's warnings.
   */
  public static List<String> ignoredOrigins(RealmModel realm) {
    return splitLines(realm.getAttribute(ORIGINS)).stream()
        .filter(o -> RelyingPartyPolicy.originProblem(o).isPresent())
        .toList();
  }

  /**
   * The security e-mail: what the admin chose, else on where the realm has e-mail (SMTP) settings.
   * The choice is written with the other settings, so it holds from the first change on.
   */
  private static boolean notifyEmail(RealmModel realm) {
    String chosen = realm.getAttribute(NOTIFY_EMAIL);
    if (chosen != null && !chosen.isBlank()) {
      return Boolean.parseBoolean(chosen);
    }
    Map<String, String> smtp = realm.getSmtpConfig();
    return smtp != null && smtp.get("host") != null && !smtp.get("host").isBlank();
  }

  /**
   * Whether passkeys were ever switched on or off in this realm (its users may have records of
   * ours). A realm that never had them is left exactly as Keycloak keeps it.
   */
  public static boolean everConfigured(RealmModel realm) {
    return realm != null && realm.getAttribute(ENABLED) != null;
  }

  /** How recent a sign-in must be to add, rename or delete passkeys (default 5 minutes). */
  public static long reauthenticationSeconds(RealmModel realm) {
    try {
      String value = realm == null ? null : realm.getAttribute(REAUTH_SECONDS);
      long seconds = value == null ? DEFAULT_REAUTH_SECONDS : Long.parseLong(value.trim());
      return seconds > 0 ? seconds : DEFAULT_REAUTH_SECONDS;
    } catch (NumberFormatException garbled) {
      return DEFAULT_REAUTH_SECONDS;
    }
  }

  /**
   * Automatic passkey upgrades (a conditional create right after a password sign-in): on unless the
   * realm says {@code passkeys.upgrade.enabled=false}. On by default because the password manager
   * decides and shows no dialog; the attempt costs one page only in browsers that can do it.
   */
  public static boolean upgradeEnabled(RealmModel realm) {
    String value = realm == null ? null : realm.getAttribute(UPGRADE_ENABLED);
    return value == null || !value.trim().equalsIgnoreCase("false");
  }

  public static void writeUpgradeEnabled(RealmModel realm, boolean enabled) {
    realm.setAttribute(UPGRADE_ENABLED, Boolean.toString(enabled));
  }

  /**
   * Whether Keycloak two-factor security keys ({@code webauthn}) may sign in on the passkey page on
   * their own. Off unless the realm says {@code passkeys.twoFactorKeys.signIn=true}: they were
   * registered as a second step after the password, often without user verification.
   */
  public static boolean twoFactorKeysSignIn(RealmModel realm) {
    return realm != null && Boolean.parseBoolean(realm.getAttribute(TWO_FACTOR_KEYS_SIGN_IN));
  }

  public static void writeTwoFactorKeysSignIn(RealmModel realm, boolean allowed) {
    realm.setAttribute(TWO_FACTOR_KEYS_SIGN_IN, Boolean.toString(allowed));
  }

  /**
   * Whether enabling gives every app of the realm the {@code amr} claim (a default client scope
   * with the passkeys AMR mapper): on unless the realm says {@code passkeys.amr.claim=false}.
   */
  public static boolean amrClaim(RealmModel realm) {
    String value = realm == null ? null : realm.getAttribute(AMR_CLAIM);
    return value == null || !value.trim().equalsIgnoreCase("false");
  }

  public static void writeAmrClaim(RealmModel realm, boolean on) {
    realm.setAttribute(AMR_CLAIM, Boolean.toString(on));
  }

  /** Writes every field (removing the attributes of empty ones). */
  public void write(RealmModel realm) {
    realm.setAttribute(ENABLED, Boolean.toString(enabled));
    put(realm, RP_ID, rpId.orElse(""));
    put(realm, RP_NAME, rpName.orElse(""));
    put(realm, ORIGINS, String.join("\n", origins));
    put(
        realm,
        ALLOWED_AAGUIDS,
        String.join("\n", allowedAaguids.stream().map(UUID::toString).sorted().toList()));
    put(realm, PREVIOUS_FLOW, previousBrowserFlow.orElse(""));
    realm.setAttribute(NOTIFY_EMAIL, Boolean.toString(notifyEmail));
  }

  public PasskeySettings withEnabled(boolean value, Optional<String> previousFlow) {
    return new PasskeySettings(
        value,
        rpId,
        rpName,
        origins,
        userVerification,
        attestation,
        allowedAaguids,
        previousFlow,
        notifyEmail);
  }

  private static void put(RealmModel realm, String key, String value) {
    if (value.isBlank()) {
      realm.removeAttribute(key);
    } else {
      realm.setAttribute(key, value);
    }
  }

  static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static List<String> splitLines(String value) {
    if (value == null) {
      return List.of();
    }
    return new ArrayList<>(
        new LinkedHashSet<>(
            Arrays.stream(value.split("[\\n,]"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList()));
  }

  static Set<UUID> parseAaguids(String value) {
    Set<UUID> result = new LinkedHashSet<>();
    for (String line : splitLines(value)) {
      try {
        result.add(UUID.fromString(line));
      } catch (IllegalArgumentException garbled) {
        // ignored here; the settings endpoint refuses garbled values at save time
      }
    }
    return result;
  }
}
