package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.ATTESTATION;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The attestation statement formats we accept: we request {@code attestation: "none"} and keep no
 * trust anchors.
 */
final class AttestationFormats {

  static final Set<String> ACCEPTED = Set.of("none", "packed");

  private AttestationFormats() {}

  /** Reads {@code fmt} from the CBOR attestation object and rejects any format we do not verify. */
  static String requireAccepted(byte[] attestationObject) throws PasskeyVerificationException {
    ObjectNode map = Json.readCborMap(attestationObject, "attestationObject");
    String fmt = JsonFields.text(map, "fmt");
    // WebAuthn L3 §7.1 step 21: match fmt (case-sensitively) against the formats we support: none,
    // packed
    if (!ACCEPTED.contains(fmt)) {
      throw new PasskeyVerificationException(ATTESTATION, "unsupported attestation format: " + fmt);
    }
    return fmt;
  }
}
