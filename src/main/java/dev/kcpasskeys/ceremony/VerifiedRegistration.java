package dev.kcpasskeys.ceremony;

import java.util.Objects;
import java.util.Optional;

/**
 * An accepted registration.
 *
 * @param passkey the credential record to store
 * @param attestationFormat the attestation statement format ({@code none} or {@code packed})
 * @param credPropsRk the credProps extension's {@code rk} output, when the client reported it
 */
public record VerifiedRegistration(
    StoredPasskey passkey, String attestationFormat, Optional<Boolean> credPropsRk) {

  public VerifiedRegistration {
    Objects.requireNonNull(passkey, "passkey");
    Objects.requireNonNull(attestationFormat, "attestationFormat");
    Objects.requireNonNull(credPropsRk, "credPropsRk");
  }
}
