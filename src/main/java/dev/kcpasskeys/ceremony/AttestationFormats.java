package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.ATTESTATION;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The attestation statement formats we accept: {@code none} and {@code packed} (which browsers pass
 * on even for {@code attestation: "none"}), and where attestation is requested, every format
 * webauthn4j verifies that passkey and security-key providers use.
 */
final class AttestationFormats {

  static final Set<String> ACCEPTED = Set.of("none", "packed");

  static final Set<String> ACCEPTED_WITH_ATTESTATION =
      Set.of("none", "packed", "tpm", "android-key", "apple", "fido-u2f");

  private AttestationFormats() {}

  /** Reads {@code fmt} from the CBOR attestation object and rejects any format we do not verify. */
  static String requireAccepted(byte[] attestationObject, AttestationPolicy policy)
      throws PasskeyVerificationException {
    ObjectNode map = Json.readCborMap(attestationObject, "attestationObject");
    String fmt = JsonFields.text(map, "fmt");
    // WebAuthn L3 §7.1 step 21: match fmt (case-sensitively) against the formats we support
    if (!(policy.requested() ? ACCEPTED_WITH_ATTESTATION : ACCEPTED).contains(fmt)) {
      throw new PasskeyVerificationException(ATTESTATION, "unsupported attestation format: " + fmt);
    }
    return fmt;
  }
}
