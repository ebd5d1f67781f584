package dev.kcpasskeys.ceremony;

import java.util.Objects;
import java.util.Optional;

/**
 * An accepted registration.
 *
 * @param passkey the credential record to store
 * @param attestationFormat the attestation statement format ({@code none}, {@code packed}, ...)
 * @param credPropsRk the credProps extension's {@code rk} output, when the client reported it
 * @param modelVerified an attestation proved the authenticator model (its AAGUID): its certificates
 *     chain to a root the FIDO metadata lists for that model
 */
public record VerifiedRegistration(
    StoredPasskey passkey,
    String attestationFormat,
    Optional<Boolean> credPropsRk,
    boolean modelVerified) {

  public VerifiedRegistration {
    Objects.requireNonNull(passkey, "passkey");
    Objects.requireNonNull(attestationFormat, "attestationFormat");
    Objects.requireNonNull(credPropsRk, "credPropsRk");
  }
}
