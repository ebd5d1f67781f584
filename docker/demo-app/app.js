// The demo app: OIDC authorization code + PKCE in the browser. Everything user-visible is set
// with textContent, never innerHTML.
const config = await (await fetch('config.json')).json();
const issuer = `${config.keycloak}/realms/${encodeURIComponent(config.realm)}`;
const redirectUri = `${location.origin}/`;
const $ = (id) => document.getElementById(id);

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomString = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

async function authorize(extra = {}) {
  const verifier = randomString();
  const state = randomString();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    client_id: config.clientId, response_type: 'code', scope: 'openid profile email',
    redirect_uri: redirectUri, state, code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  });
  location.assign(`${issuer}/protocol/openid-connect/auth?${params}`);
}

function decodeJwt(token) {
  const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
  return JSON.parse(json);
}

async function exchangeCode(params) {
  const saved = JSON.parse(sessionStorage.getItem('pkce') || '{}');
  sessionStorage.removeItem('pkce');
  if (!saved.state || saved.state !== params.get('state')) {
    throw new Error('The sign-in response does not match this browser tab (state mismatch).');
  }
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri,
      client_id: config.clientId, code_verifier: saved.verifier,
    }),
  });
  const tokens = await response.json();
  if (!response.ok) throw new Error(`Token request failed: ${tokens.error_description || tokens.error}`);
  sessionStorage.setItem('tokens', JSON.stringify(tokens));
}

function showClaims() {
  const tokens = JSON.parse(sessionStorage.getItem('tokens') || 'null');
  const signedIn = Boolean(tokens);
  $('sign-in').hidden = signedIn;
  $('passkey-sign-in').hidden = signedIn || typeof window.PublicKeyCredential !== 'function';
  for (const id of ['add-passkey', 'manage-passkeys', 'sign-out', 'claims-section']) $(id).hidden = !signedIn;
  if (!signedIn) return;
  const claims = decodeJwt(tokens.id_token);
  $('claim-sub').textContent = claims.sub;
  $('claim-username').textContent = claims.preferred_username ?? '';
  $('claim-amr').textContent = JSON.stringify(claims.amr ?? []);
  $('claim-acr').textContent = claims.acr ?? '';
  $('claims-json').textContent = JSON.stringify(claims, null, 2);
}

async function main() {
  $('realm-name').textContent = config.realm;
  $('manage-passkeys').href = `${issuer}/passkeys/?client_id=${encodeURIComponent(config.clientId)}`
    + `&redirect_uri=${encodeURIComponent(redirectUri)}`;
  $('sign-in').addEventListener('click', () => authorize());
  $('add-passkey').addEventListener('click', () => authorize({ kc_action: 'passkey-register' }));
  // A first-party app signs in from its own page: the realm's passkeys.js runs the challenge, the
  // browser's passkey dialog and the token request (the client has passkeys.firstParty=true).
  $('passkey-sign-in').addEventListener('click', async () => {
    try {
      const { signInWithPasskey } = await import(`${issuer}/passkeys/v1/passkeys.js`);
      const tokens = await signInWithPasskey({ issuer, clientId: config.clientId, scope: 'openid profile email' });
      sessionStorage.setItem('tokens', JSON.stringify(tokens));
      $('status').textContent = 'Signed in with a passkey, without the login page.';
      showClaims();
    } catch (e) {
      if (e.code === 'redirect_to_web') authorize();
      else $('status').textContent = `Passkey sign-in: ${e.code || e.message}`;
    }
  });
  $('sign-out').addEventListener('click', () => {
    const tokens = JSON.parse(sessionStorage.getItem('tokens') || '{}');
    sessionStorage.removeItem('tokens');
    const params = new URLSearchParams({ client_id: config.clientId, post_logout_redirect_uri: redirectUri });
    if (tokens.id_token) params.set('id_token_hint', tokens.id_token);
    location.assign(`${issuer}/protocol/openid-connect/logout?${params}`);
  });
  const params = new URLSearchParams(location.search);
  if (params.has('kc_action_status')) {
    $('status').textContent = `Passkey registration: ${params.get('kc_action_status')}`;
  }
  if (params.has('error')) {
    $('status').textContent = `Sign-in error: ${params.get('error_description') || params.get('error')}`;
  } else if (params.has('code')) {
    try {
      await exchangeCode(params);
    } catch (e) {
      $('status').textContent = e.message;
    }
  }
  if (params.toString()) history.replaceState(null, '', redirectUri);
  showClaims();
}

main();
