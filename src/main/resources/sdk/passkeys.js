// Keycloak Passkeys: a tiny helper for apps, served by the extension at
// /realms/{realm}/passkeys/v1/passkeys.js. Import it as an ES module:
//
//   import { canRegisterPasskey, addPasskeyUrl, createPasskey } from 'https://login.example.com/realms/acme/passkeys/v1/passkeys.js';
//   if (await canRegisterPasskey()) showAddPasskeyButton();
//   const passkey = await createPasskey({ issuer, accessToken, name: 'Work laptop' });
//   const tokens = await signInWithPasskey({ issuer, clientId: 'bank-app' }); // first-party apps
//
// No dependencies and no cookies. createPasskey() and registrationDetails() call the realm's app
// API with the token or registration ticket they are given; signInWithPasskey() its first-party
// sign-in endpoint and token endpoint.

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

/**
 * A failure of createPasskey(), with a stable `code`: the API's error code (for example
 * 'passkey_reauthentication_required', 'passkey_limit_reached', 'passkey_type_not_allowed',
 * 'insufficient_scope') or the browser's, as 'cancelled', 'already_registered', 'unsupported',
 * 'security' or 'failed'; `status` is the HTTP status where the API answered.
 */
export class PasskeyError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.name = 'PasskeyError';
    this.code = code;
    this.status = status;
  }
}

const b64url = {
  decode: (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
  encode: (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
};

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: b64url.decode(json.challenge),
    user: { ...json.user, id: b64url.decode(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: b64url.decode(c.id) })),
  };
}

/** The JSON of a credential (WebAuthn L3 toJSON()), for browsers that lack toJSON(). */
function envelope(credential, response) {
  return {
    id: credential.id,
    rawId: b64url.encode(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response,
  };
}

function credentialJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  return envelope(credential, {
    clientDataJSON: b64url.encode(r.clientDataJSON),
    attestationObject: b64url.encode(r.attestationObject),
    transports: typeof r.getTransports === 'function' ? r.getTransports() : [],
  });
}

async function api(url, accessToken, body) {
  let response;
  const headers = { 'Content-Type': 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (e) {
    throw new PasskeyError('network', e.message);
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new PasskeyError(json.error || 'failed', json.error_description, response.status);
  return json;
}

const BROWSER_ERRORS = {
  NotAllowedError: 'cancelled', AbortError: 'cancelled', InvalidStateError: 'already_registered',
  NotSupportedError: 'unsupported', SecurityError: 'security',
};

/**
 * Adds a passkey in one call: starts the registration, runs the browser's dialog, and verifies
 * the answer. `issuer` is the realm's URL (https://login.example.com/realms/acme). With
 * `accessToken` (the signed-in user's token with the `passkeys` scope) it resolves to the new
 * passkey ({id, name, provider, synced, ...}). With `ticket` (a registration a backend started for
 * the user) it needs no token and resolves to {registration_id, status, passkey}. Rejects with a
 * PasskeyError.
 */
export async function createPasskey({ issuer, accessToken, ticket, name }) {
  if (typeof window === 'undefined' || typeof window.PublicKeyCredential !== 'function') {
    throw new PasskeyError('unsupported', 'this browser has no WebAuthn');
  }
  if (ticket) {
    const base = `${issuer}/passkeys/v1/registrations`;
    const options = await api(`${base}/options`, null, { ticket });
    const body = { ticket, credential: await create(options.publicKey) };
    if (name) body.name = name;
    return api(`${base}/attempt_verification`, null, body);
  }
  const base = `${issuer}/passkeys/v1/me/passkeys`;
  const started = await api(base, accessToken, {});
  const body = { credential: await create(started.publicKey) };
  if (name) body.name = name;
  return api(`${base}/${encodeURIComponent(started.id)}/attempt_verification`, accessToken, body);
}

/**
 * What a backend-started registration is for, before the user creates the passkey:
 * {registration_id, username, name?, expires_at}. Rejects with PasskeyError
 * 'registration_not_found' when the ticket expired, was used or cancelled.
 */
export async function registrationDetails({ issuer, ticket }) {
  const options = await api(`${issuer}/passkeys/v1/registrations/options`, null, { ticket });
  const { publicKey, ...details } = options;
  return details;
}

async function create(publicKey) {
  try {
    return credentialJSON(await navigator.credentials.create({ publicKey: creationOptions(publicKey) }));
  } catch (e) {
    throw new PasskeyError(BROWSER_ERRORS[e && e.name] || 'failed', e && e.message);
  }
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: b64url.decode(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: b64url.decode(c.id) })),
  };
}

function assertionJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  return envelope(credential, {
    clientDataJSON: b64url.encode(r.clientDataJSON),
    authenticatorData: b64url.encode(r.authenticatorData),
    signature: b64url.encode(r.signature),
    userHandle: r.userHandle ? b64url.encode(r.userHandle) : undefined,
  });
}

async function post(url, fields) {
  let response;
  try {
    response = await fetch(url, { method: 'POST', body: new URLSearchParams(fields) });
  } catch (e) {
    throw new PasskeyError('network', e.message);
  }
  return { status: response.status, json: await response.json().catch(() => ({})) };
}

/**
 * Signs the user in with a passkey from a first-party app's own screen, without the login page
 * (OAuth 2.0 for First-Party Applications; the app's client needs the attribute
 * passkeys.firstParty=true and this page's origin among its web origins). Runs the challenge, the
 * browser's passkey dialog and the token request with PKCE; resolves to the token response
 * ({access_token, id_token, refresh_token, ...}). Rejects with a PasskeyError: the endpoint's
 * error ('redirect_to_web': use the browser; 'access_denied'; 'slow_down'; ...) or the browser's.
 */
export async function signInWithPasskey({ issuer, clientId, scope = 'openid' }) {
  if (typeof window === 'undefined' || typeof window.PublicKeyCredential !== 'function') {
    throw new PasskeyError('unsupported', 'this browser has no WebAuthn');
  }
  const verifier = b64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url.encode(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const endpoint = `${issuer}/passkeys/v1/authorize-challenge`;
  const fail = ({ status, json }) => new PasskeyError(json.error || 'failed', json.error_description, status);
  const started = await post(endpoint, {
    client_id: clientId, scope, code_challenge: challenge, code_challenge_method: 'S256',
  });
  if (started.json.error !== 'insufficient_authorization') throw fail(started);
  let credential;
  try {
    credential = await navigator.credentials.get({ publicKey: requestOptions(started.json.passkey.publicKey) });
  } catch (e) {
    throw new PasskeyError(BROWSER_ERRORS[e && e.name] || 'failed', e && e.message);
  }
  const signedIn = await post(endpoint, {
    client_id: clientId, auth_session: started.json.auth_session,
    passkey_response: JSON.stringify(assertionJSON(credential)),
  });
  if (!signedIn.json.authorization_code) throw fail(signedIn);
  const tokens = await post(`${issuer}/protocol/openid-connect/token`, {
    grant_type: 'authorization_code', code: signedIn.json.authorization_code, client_id: clientId,
    code_verifier: verifier,
  });
  if (tokens.status !== 200) throw fail(tokens);
  return tokens.json;
}
