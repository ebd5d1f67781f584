package dev.kcpasskeys.credential;

import java.util.Optional;
import java.util.UUID;

/**
 * One passkey as the admin stats count it: whose, which authenticator model, synced or this-device.
 */
public record PasskeySummary(String userId, Optional<UUID> aaguid, boolean synced) {}
