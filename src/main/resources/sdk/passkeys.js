// Keycloak Passkeys: a tiny helper for apps, served by the extension at
// /realms/{realm}/passkeys/v1/passkeys.js. Import it as an ES module:
//
//   import { canRegisterPasskey, addPasskeyUrl } from 'https://login.example.com/realms/acme/passkeys/v1/passkeys.js';
//   if (await canRegisterPasskey()) showAddPasskeyButton();
//
// No dependencies, no network calls, no cookies: it only asks the browser what it can do.

/**
 * True when this browser can create a passkey a person can use to sign in here: WebAuthn is
 * available and there is a platform authenticator with user verification (Touch ID, Windows
 * Hello, Android screen lock, a password manager) or a phone reachable over hybrid transport.
 */
export async function canRegisterPasskey() {
  if (typeof window === 'undefined' || typeof window.PublicKeyCredential !== 'function') return false;
  try {
    if (typeof PublicKeyCredential.getClientCapabilities === 'function') {
      const caps = await PublicKeyCredential.getClientCapabilities();
      if (caps.passkeyPlatformAuthenticator || caps.userVerifyingPlatformAuthenticator || caps.hybridTransport) {
        return true;
      }
    }
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/**
 * The authorization URL that runs passkey registration as an application-initiated action and
 * returns to the app with kc_action_status=success|cancelled. Add state and PKCE as usual.
 */
export function addPasskeyUrl({ issuer, clientId, redirectUri, skipIfExists = false, extra = {} }) {
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    kc_action: skipIfExists ? 'passkey-register:skip_if_exists' : 'passkey-register',
    ...extra,
  });
  return `${issuer}/protocol/openid-connect/auth?${params}`;
}
