package dev.kcpasskeys.ceremony;

import com.webauthn4j.verifier.exception.BadAaguidException;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CertificateException;
import com.webauthn4j.verifier.exception.CredentialIdTooLongException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.IllegalBackupStateException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.KeyDescriptionValidationException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.PublicKeyMismatchException;
import com.webauthn4j.verifier.exception.SelfAttestationProhibitedException;
import com.webauthn4j.verifier.exception.TrustAnchorNotFoundException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps whatever webauthn4j (or parsing) throws to a {@link PasskeyVerificationException}; nothing
 * escapes. webauthn4j verifies only registrations (sign-in checks are ours), so its only signature
 * check is the attestation's.
 */
final class Webauthn4jFailures {

  private static final Map<Class<? extends RuntimeException>, Reason> REASONS = reasons();

  private Webauthn4jFailures() {}

  static PasskeyVerificationException map(RuntimeException failure) {
    for (Map.Entry<Class<? extends RuntimeException>, Reason> entry : REASONS.entrySet()) {
      if (entry.getKey().isInstance(failure)) {
        return new PasskeyVerificationException(
            entry.getValue(), String.valueOf(failure.getMessage()), failure);
      }
    }
    // DataConversionException, ConstraintViolationException, IllegalArgumentException, ...
    return new PasskeyVerificationException(
        Reason.MALFORMED,
        failure.getClass().getSimpleName() + ": " + failure.getMessage(),
        failure);
  }

  private static Map<Class<? extends RuntimeException>, Reason> reasons() {
    Map<Class<? extends RuntimeException>, Reason> map = new LinkedHashMap<>();
    map.put(InconsistentClientDataTypeException.class, Reason.WRONG_TYPE);
    map.put(BadChallengeException.class, Reason.CHALLENGE_MISMATCH);
    map.put(MissingChallengeException.class, Reason.CHALLENGE_MISMATCH);
    map.put(BadOriginException.class, Reason.ORIGIN_MISMATCH);
    map.put(CrossOriginException.class, Reason.CROSS_ORIGIN);
    map.put(BadTopOriginException.class, Reason.TOP_ORIGIN);
    map.put(BadRpIdException.class, Reason.RP_ID_MISMATCH);
    map.put(UserNotPresentException.class, Reason.USER_PRESENCE);
    map.put(UserNotVerifiedException.class, Reason.USER_VERIFICATION);
    map.put(IllegalBackupStateException.class, Reason.BAD_BACKUP_FLAGS);
    map.put(NotAllowedAlgorithmException.class, Reason.ALGORITHM_NOT_ALLOWED);
    map.put(CredentialIdTooLongException.class, Reason.CREDENTIAL_ID_TOO_LONG);
    map.put(BadSignatureException.class, Reason.ATTESTATION);
    map.put(BadAttestationStatementException.class, Reason.ATTESTATION);
    map.put(BadAlgorithmException.class, Reason.ATTESTATION);
    map.put(BadAaguidException.class, Reason.ATTESTATION);
    map.put(CertificateException.class, Reason.ATTESTATION);
    map.put(TrustAnchorNotFoundException.class, Reason.ATTESTATION);
    map.put(SelfAttestationProhibitedException.class, Reason.ATTESTATION);
    map.put(PublicKeyMismatchException.class, Reason.ATTESTATION);
    map.put(KeyDescriptionValidationException.class, Reason.ATTESTATION);
    return map;
  }
}
