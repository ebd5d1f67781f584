// Keycloak Passkeys: WebAuthn ceremony helpers (filled in by the sign-in and registration work).
export const PASSKEYS_MODULE_VERSION = 1;
