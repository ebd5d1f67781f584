package dev.kcpasskeys.ceremony;

import com.webauthn4j.data.client.Origin;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The relying party's policy for one realm.
 *
 * @param rpId the RP ID (a registrable domain, e.g. {@code example.org})
 * @param rpName human-palatable RP name shown by some authenticators
 * @param origins exact origins accepted in clientDataJSON (e.g. {@code https://login.example.org})
 * @param allowedAlgorithms COSE algorithm ids, in preference order
 * @param timeout ceremony timeout hint for the browser
 * @param allowedAaguids authenticator models accepted at registration; empty = any
 * @param userVerificationRequired whether the UV flag is required (always true for passkeys)
 * @param hints WebAuthn hints for the browser, in order ({@link Hints}); empty: none
 * @param attestation what is asked of attestation and where its trust comes from
 */
public record RelyingPartySettings(
    String rpId,
    String rpName,
    Set<String> origins,
    List<Long> allowedAlgorithms,
    Duration timeout,
    Set<UUID> allowedAaguids,
    boolean userVerificationRequired,
    List<String> hints,
    AttestationPolicy attestation) {

  /** ES256, EdDSA, RS256: what every passkey provider supports. */
  public static final List<Long> DEFAULT_ALGORITHMS = List.of(-7L, -8L, -257L);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public RelyingPartySettings {
    requireText(rpId, "rpId");
    requireText(rpName, "rpName");
    origins = Set.copyOf(Objects.requireNonNull(origins, "origins"));
    allowedAlgorithms = List.copyOf(Objects.requireNonNull(allowedAlgorithms, "allowedAlgorithms"));
    Objects.requireNonNull(timeout, "timeout");
    allowedAaguids = Set.copyOf(Objects.requireNonNull(allowedAaguids, "allowedAaguids"));
    hints = Hints.checked(hints);
    Objects.requireNonNull(attestation, "attestation");
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("at least one origin is required");
    }
    origins.forEach(Origin::create); // rejects what webauthn4j could not compare against
    if (allowedAlgorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one algorithm is required");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /**
   * Settings with the defaults: ES256/EdDSA/RS256, 5 minutes, any AAGUID, user verification
   * required.
   */
  public static RelyingPartySettings of(String rpId, String rpName, Set<String> origins) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        origins,
        DEFAULT_ALGORITHMS,
        DEFAULT_TIMEOUT,
        Set.of(),
        true,
        List.of(),
        AttestationPolicy.NONE);
  }

  public RelyingPartySettings withAllowedAlgorithms(List<Long> algorithms) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        origins,
        algorithms,
        timeout,
        allowedAaguids,
        userVerificationRequired,
        hints,
        attestation);
  }

  public RelyingPartySettings withAllowedAaguids(Set<UUID> aaguids) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        origins,
        allowedAlgorithms,
        timeout,
        aaguids,
        userVerificationRequired,
        hints,
        attestation);
  }

  public RelyingPartySettings withUserVerificationRequired(boolean required) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        origins,
        allowedAlgorithms,
        timeout,
        allowedAaguids,
        required,
        hints,
        attestation);
  }

  /** The WebAuthn hints sent in creation and request options ({@link Hints}). */
  public RelyingPartySettings withHints(List<String> preferred) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        origins,
        allowedAlgorithms,
        timeout,
        allowedAaguids,
        userVerificationRequired,
        preferred,
        attestation);
  }

  /** The same relying party, accepting only these origins (a narrower set of the realm's). */
  public RelyingPartySettings withOrigins(Set<String> accepted) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        accepted,
        allowedAlgorithms,
        timeout,
        allowedAaguids,
        userVerificationRequired,
        hints,
        attestation);
  }

  /** Attestation: what creation options ask for and how the answer is assessed. */
  public RelyingPartySettings withAttestation(AttestationPolicy policy) {
    return new RelyingPartySettings(
        rpId,
        rpName,
        origins,
        allowedAlgorithms,
        timeout,
        allowedAaguids,
        userVerificationRequired,
        hints,
        policy);
  }

  /** {@code "required"} or {@code "preferred"}, as used in the options JSON. */
  String userVerificationRequirement() {
    return userVerificationRequired ? "required" : "preferred";
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
