package dev.kcpasskeys.credential;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * What a passkey needs beyond Keycloak's {@code WebAuthnCredentialData}, which has no room for it
 * (Keycloak reads that JSON strictly, so an extra field there would break its own consoles). Stored
 * per passkey as a small versioned JSON user attribute; see {@link PasskeyStore}.
 *
 * @param version format version, for migrations
 * @param backupEligible BE at registration, or for a passkey Keycloak's built-in registered, BE at
 *     its first sign-in through us (empty: not seen yet)
 * @param backupState BS as last seen (synced when true)
 * @param uvInitialized user verification at registration
 * @param lastUsedAt epoch millis of the last sign-in, 0 when never
 * @param source where it was registered: login, page, app, api, nudge, ...
 * @param modelVerified an attestation proved its authenticator model at registration (the realm
 *     asked for attestation and the FIDO metadata vouched for the certificate chain)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PasskeyMetadata(
    @JsonProperty("v") int version,
    @JsonProperty("be") Boolean backupEligible,
    @JsonProperty("bs") boolean backupState,
    @JsonProperty("uv") boolean uvInitialized,
    @JsonProperty("lu") long lastUsedAt,
    @JsonProperty("src") String source,
    @JsonProperty("mv") boolean modelVerified) {

  /**
   * 2: BE of a built-in passkey is learnt from the BE flag. Version 1 stored the BS flag there, so
   * a built-in passkey that is backup eligible but not backed up (BE=1, BS=0) was refused from its
   * second sign-in on; {@link #backupEligibleFlag} has such a version-1 value learnt again.
   */
  public static final int CURRENT_VERSION = 2;

  private static final String KEYCLOAK = "keycloak";

  /** For passkeys Keycloak's built-in registered, before their first sign-in through us. */
  public static PasskeyMetadata unknown() {
    return new PasskeyMetadata(CURRENT_VERSION, null, false, false, 0, KEYCLOAK, false);
  }

  /**
   * We registered this passkey without user verification (an automatic upgrade: WebAuthn L3 §5.1.3
   * keeps conditional creates from collecting UV), so its credential record has
   * uvInitialized=false. Passkeys Keycloak's built-in registered have no metadata of ours and are
   * not counted here.
   */
  public boolean registeredWithoutUserVerification() {
    return !uvInitialized && !KEYCLOAK.equals(source);
  }

  /**
   * BE as the passkey first presented it; empty when not known yet. A {@code false} that version 1
   * learnt for a built-in passkey may have been its BS flag, so it counts as not known: the next
   * sign-in learns BE again (WebAuthn L3 §7.2 step 19 then has nothing to compare with, once).
   */
  public Optional<Boolean> backupEligibleFlag() {
    boolean maybeLearntFromBs =
        version < 2 && KEYCLOAK.equals(source) && Boolean.FALSE.equals(backupEligible);
    return maybeLearntFromBs ? Optional.empty() : Optional.ofNullable(backupEligible);
  }

  /** This metadata with {@code millis} as last use when that is later than what it has. */
  public PasskeyMetadata usedNoEarlierThan(long millis) {
    return millis <= lastUsedAt
        ? this
        : new PasskeyMetadata(
            version, backupEligible, backupState, uvInitialized, millis, source, modelVerified);
  }

  /** After a sign-in that presented these flags: BE is kept once known, BS is the latest. */
  public PasskeyMetadata usedAt(long millis, boolean bs, boolean be) {
    return new PasskeyMetadata(
        CURRENT_VERSION,
        backupEligibleFlag().orElse(be),
        bs,
        uvInitialized,
        millis,
        source,
        modelVerified);
  }
}
