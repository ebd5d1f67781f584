package dev.kcpasskeys.ceremony;

import com.webauthn4j.metadata.MetadataBLOBProvider;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the relying party asks of attestation, and where it finds the trust anchors to assess it.
 *
 * @param conveyance the attestation conveyance preference sent in creation options (WebAuthn L3
 *     §5.4.7): {@code none}, {@code direct} or {@code enterprise}
 * @param metadata the FIDO Metadata Service BLOB that says which authenticator models exist, their
 *     attestation root certificates and their status (§7.1 step 22); present exactly when
 *     attestation is requested
 */
public record AttestationPolicy(String conveyance, Optional<MetadataBLOBProvider> metadata) {

  public static final String NONE_CONVEYANCE = "none";

  /** The conveyances an admin can choose; {@code indirect} would let the client anonymise. */
  public static final Set<String> CONVEYANCES = Set.of(NONE_CONVEYANCE, "direct", "enterprise");

  /** No attestation: the browser strips it, nothing about the model is verified. */
  public static final AttestationPolicy NONE =
      new AttestationPolicy(NONE_CONVEYANCE, Optional.empty());

  public AttestationPolicy {
    Objects.requireNonNull(conveyance, "conveyance");
    Objects.requireNonNull(metadata, "metadata");
    if (!CONVEYANCES.contains(conveyance)) {
      throw new IllegalArgumentException("attestation conveyance must be one of " + CONVEYANCES);
    }
    if (metadata.isPresent() == NONE_CONVEYANCE.equals(conveyance)) {
      throw new IllegalArgumentException(
          "metadata is needed exactly when attestation is requested");
    }
  }

  /** {@code direct} or {@code enterprise} attestation, assessed against {@code metadata}. */
  public static AttestationPolicy verifiedBy(String conveyance, MetadataBLOBProvider metadata) {
    return new AttestationPolicy(conveyance, Optional.of(metadata));
  }

  /**
   * Whether the metadata still vouches for a model a registration proved: listed, and without a
   * security notification today. False where attestation is not requested or the model unknown.
   */
  public boolean stillVouchesFor(Optional<UUID> aaguid) {
    return metadata.isPresent()
        && aaguid.isPresent()
        && AttestationTrust.inGoodStanding(metadata.get(), aaguid.get());
  }

  /** Whether the relying party asks for attestation and assesses it. */
  public boolean requested() {
    return metadata.isPresent();
  }
}
