package dev.kcpasskeys.ceremony;

import java.util.Optional;
import java.util.Set;

/**
 * The parts of a RegistrationResponseJSON (WebAuthn L3 §5.1, {@code toJSON()}) the ceremony uses.
 */
record RegistrationResponse(
    byte[] rawId,
    byte[] clientDataJson,
    byte[] attestationObject,
    Set<String> transports,
    Optional<Boolean> credPropsRk) {}
