package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.UNKNOWN_CREDENTIAL;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.USER_HANDLE_MISSING;

import java.security.MessageDigest;
import java.util.Optional;

/** WebAuthn L3 §7.2 step 6: identify the user and the credential record being used. */
final class CredentialOwnership {

  private CredentialOwnership() {}

  static StoredPasskey identify(
      AssertionResponse response, Optional<byte[]> identifiedUserHandle, PasskeyLookup lookup)
      throws PasskeyVerificationException {
    if (identifiedUserHandle.isPresent()) {
      return identified(response, identifiedUserHandle.get(), lookup);
    }
    return discovered(response, lookup);
  }

  private static StoredPasskey identified(
      AssertionResponse response, byte[] userHandle, PasskeyLookup lookup)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 6: user identified before the ceremony: if response.userHandle is
    // present it
    // must be that user's handle
    if (response.userHandle().isPresent()
        && !MessageDigest.isEqual(response.userHandle().get(), userHandle)) {
      throw new PasskeyVerificationException(
          UNKNOWN_CREDENTIAL, "userHandle is not the identified user's");
    }
    // WebAuthn L3 §7.2 step 6: ... and the identified user must own a credential record with id =
    // rawId
    return ownedBy(userHandle, response.rawId(), lookup);
  }

  private static StoredPasskey discovered(AssertionResponse response, PasskeyLookup lookup)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 6: user not identified before the ceremony: response.userHandle is
    // required
    byte[] userHandle =
        response
            .userHandle()
            .orElseThrow(
                () ->
                    new PasskeyVerificationException(
                        USER_HANDLE_MISSING, "discoverable assertion without userHandle"));
    // WebAuthn L3 §7.2 step 6: ... and that user must own a credential record with id = rawId
    return ownedBy(userHandle, response.rawId(), lookup);
  }

  private static StoredPasskey ownedBy(byte[] userHandle, byte[] credentialId, PasskeyLookup lookup)
      throws PasskeyVerificationException {
    // The storage layer looks it up by both; its answer is checked again rather than trusted.
    Optional<StoredPasskey> passkey = lookup.findCredential(userHandle, credentialId);
    if (passkey.isPresent()
        && passkey.get().hasCredentialId(credentialId)
        && MessageDigest.isEqual(passkey.get().userHandle(), userHandle)) {
      return passkey.get();
    }
    throw new PasskeyVerificationException(
        UNKNOWN_CREDENTIAL, "credential not registered to this user");
  }
}
