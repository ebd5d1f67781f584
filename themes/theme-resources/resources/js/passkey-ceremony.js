// Keycloak Passkeys: WebAuthn ceremony helpers shared by the login, registration and passkeys
// pages. No dependencies. Options come from the server as base64 JSON in a data attribute and
// responses go back as the browser's own credential.toJSON() shape.

const b64urlToBytes = (value) => {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
};

const bytesToB64url = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** Reads options JSON that the server base64-encoded (UTF-8) into a data attribute. */
export function readOptions(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function webauthnAvailable() {
  return typeof window.PublicKeyCredential === 'function' && Boolean(navigator.credentials);
}

export async function conditionalMediationAvailable() {
  if (!webauthnAvailable() || typeof PublicKeyCredential.isConditionalMediationAvailable !== 'function') return false;
  try {
    return await PublicKeyCredential.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}

function creationOptionsFromJSON(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: b64urlToBytes(json.challenge),
    user: { ...json.user, id: b64urlToBytes(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: b64urlToBytes(c.id) })),
  };
}

function requestOptionsFromJSON(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: b64urlToBytes(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: b64urlToBytes(c.id) })),
  };
}

/** credential.toJSON() where the browser has it, else the same shape built by hand. */
export function credentialToJSON(credential) {
  if (typeof credential.toJSON === 'function') {
    try {
      return credential.toJSON();
    } catch {
      // fall through: some browsers throw on unknown extension outputs
    }
  }
  const r = credential.response;
  const response = { clientDataJSON: bytesToB64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = bytesToB64url(r.attestationObject);
    response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
  } else {
    response.authenticatorData = bytesToB64url(r.authenticatorData);
    response.signature = bytesToB64url(r.signature);
    if (r.userHandle) response.userHandle = bytesToB64url(r.userHandle);
  }
  return {
    id: credential.id,
    rawId: bytesToB64url(credential.rawId),
    type: credential.type,
    response,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
  };
}

/**
 * One AbortController for the page: autofill (conditional mediation) and the button share it,
 * so starting one ceremony cancels the other instead of the browser refusing the second.
 */
let current = null;
function freshSignal() {
  if (current) current.abort(new DOMException('Replaced by a new passkey request', 'AbortError'));
  current = new AbortController();
  return current.signal;
}

/** Ends the page's pending passkey request, if any (its promise rejects with an AbortError). */
export function abortPasskeyRequest() {
  if (current) current.abort(new DOMException('Replaced by a new passkey request', 'AbortError'));
  current = null;
}

/** navigator.credentials.create(); mediation 'conditional' asks the password manager, without a dialog. */
export async function createPasskey(optionsJson, mediation) {
  const publicKey = creationOptionsFromJSON(optionsJson);
  const request = { publicKey, signal: freshSignal() };
  if (mediation) request.mediation = mediation;
  return navigator.credentials.create(request);
}

/** PublicKeyCredential.getClientCapabilities(), or {} where the browser has none or it fails. */
export async function clientCapabilities() {
  if (!webauthnAvailable() || typeof PublicKeyCredential.getClientCapabilities !== 'function') return {};
  try {
    return (await PublicKeyCredential.getClientCapabilities()) || {};
  } catch {
    return {};
  }
}

export async function getPasskey(optionsJson, mediation) {
  const publicKey = requestOptionsFromJSON(optionsJson);
  const request = { publicKey, signal: freshSignal() };
  if (mediation) request.mediation = mediation;
  return navigator.credentials.get(request);
}

/**
 * Maps what went wrong to a stable code: cancelled, timeout, unsupported, already-registered,
 * security, aborted (our own switch between autofill and the button) or failed.
 */
export function errorCode(error, startedAt, timeoutMillis) {
  const name = error && error.name;
  if (name === 'AbortError') return 'aborted';
  if (name === 'InvalidStateError') return 'already-registered';
  if (name === 'NotSupportedError') return 'unsupported';
  if (name === 'SecurityError') return 'security';
  if (name === 'NotAllowedError') {
    const elapsed = Date.now() - startedAt;
    return timeoutMillis && elapsed >= timeoutMillis - 1000 ? 'timeout' : 'cancelled';
  }
  return 'failed';
}

/** Follows the system's colour scheme with the theme's dark-mode class, as Keycloak's pages do. */
export function followDarkMode(darkModeClass) {
  if (!darkModeClass) return;
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = (on) => document.documentElement.classList.toggle(darkModeClass, on);
  apply(query.matches);
  query.addEventListener('change', (event) => apply(event.matches));
}

/** Shows a message in the page's live region (announced by screen readers); text only. */
export function say(status, text, kind = 'error') {
  status.classList.toggle('kcp-info', kind === 'info');
  status.textContent = text;
}

export function messageFor(config, code) {
  const key = {
    cancelled: 'msgCancelled', timeout: 'msgTimeout', unsupported: 'msgUnsupported',
    security: 'msgSecurity', 'already-registered': 'msgAlreadyRegistered',
  }[code] || 'msgFailed';
  return config.dataset[key] || config.dataset.msgFailed;
}
