package dev.kcpasskeys.ceremony;

import java.util.Optional;

/**
 * The parts of an AuthenticationResponseJSON (WebAuthn L3 §5.1, {@code toJSON()}) the ceremony
 * uses.
 */
record AssertionResponse(
    byte[] rawId,
    byte[] clientDataJson,
    byte[] authenticatorData,
    byte[] signature,
    Optional<byte[]> userHandle) {}
