package dev.kcpasskeys.credential;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * What a passkey needs beyond Keycloak's {@code WebAuthnCredentialData}, which has no room for it
 * (Keycloak reads that JSON strictly, so an extra field there would break its own consoles).
 * Stored per passkey as a small versioned JSON user attribute; see {@link PasskeyStore}.
 *
 * @param version        format version, for migrations
 * @param backupEligible BE at registration (empty: registered by Keycloak's built-in, not seen yet)
 * @param backupState    BS as last seen (synced when true)
 * @param uvInitialized  user verification at registration
 * @param lastUsedAt     epoch millis of the last sign-in, 0 when never
 * @param source         where it was registered: login, page, app, api, nudge, ...
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PasskeyMetadata(
    @JsonProperty("v") int version,
    @JsonProperty("be") Boolean backupEligible,
    @JsonProperty("bs") boolean backupState,
    @JsonProperty("uv") boolean uvInitialized,
    @JsonProperty("lu") long lastUsedAt,
    @JsonProperty("src") String source) {

  public static final int CURRENT_VERSION = 1;

  /** For passkeys Keycloak's built-in registered, before their first sign-in through us. */
  public static PasskeyMetadata unknown() {
    return new PasskeyMetadata(CURRENT_VERSION, null, false, false, 0, "keycloak");
  }

  /**
   * We registered this passkey without user verification (an automatic upgrade: WebAuthn L3 §5.1.3 keeps
   * conditional creates from collecting UV), so its credential record has uvInitialized=false. Passkeys
   * Keycloak's built-in registered have no metadata of ours and are not counted here.
   */
  public boolean registeredWithoutUserVerification() {
    return !uvInitialized && !"keycloak".equals(source);
  }

  public Optional<Boolean> backupEligibleFlag() {
    return Optional.ofNullable(backupEligible);
  }

  /** This metadata with {@code millis} as last use when that is later than what it has. */
  public PasskeyMetadata usedNoEarlierThan(long millis) {
    return millis <= lastUsedAt ? this
        : new PasskeyMetadata(version, backupEligible, backupState, uvInitialized, millis, source);
  }

  public PasskeyMetadata usedAt(long millis, boolean bs, boolean be) {
    return new PasskeyMetadata(CURRENT_VERSION, backupEligible == null ? be : backupEligible, bs, uvInitialized, millis,
        source);
  }
}
