// Keycloak Passkeys: the registration page. The user names the passkey first, then the
// browser's dialog creates it; errors are announced in the page's live region.
import { createPasskey, credentialToJSON, errorCode, messageFor, readOptions, say, webauthnAvailable }
  from './passkey-ceremony.js';

const config = document.getElementById('passkey-config');
const form = document.getElementById('passkey-register-form');
const status = document.getElementById('passkey-status');
const name = document.getElementById('passkey-name');
const create = document.getElementById('passkey-create');
const options = readOptions(config.dataset.options);
const suggested = name.value;

/**
 * The nudge is only for browsers that can make a passkey here (a platform authenticator, or a
 * phone over hybrid transport); anywhere else it answers "unsupported" at once, unseen.
 */
async function canCreatePasskey() {
  if (!webauthnAvailable()) return false;
  try {
    if (typeof PublicKeyCredential.getClientCapabilities === 'function') {
      const caps = await PublicKeyCredential.getClientCapabilities();
      if (caps.hybridTransport || caps.userVerifyingPlatformAuthenticator) return true;
    }
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

if (config.dataset.nudge === 'true' && !(await canCreatePasskey())) {
  const skip = document.createElement('input');
  skip.type = 'hidden';
  skip.name = 'nudge';
  skip.value = 'unsupported';
  form.append(skip);
  form.submit();
} else if (!webauthnAvailable()) {
  say(status, config.dataset.msgUnsupported);
  create.disabled = true;
}

form.addEventListener('submit', async (event) => {
  if (event.submitter && (event.submitter.name === 'cancel-aia' || event.submitter.name === 'nudge')) {
    return; // plain POST: back to the app, or the nudge's answer
  }
  event.preventDefault();
  if (!name.value.trim()) {
    say(status, config.dataset.msgNameRequired);
    name.focus();
    return;
  }
  create.disabled = true;
  const startedAt = Date.now();
  try {
    const credential = await createPasskey(options);
    const response = document.getElementById('passkey-response');
    response.value = JSON.stringify(credentialToJSON(credential));
    response.disabled = false;
    document.getElementById('passkey-name-default').value = String(name.value === suggested);
    form.submit();
  } catch (error) {
    say(status, messageFor(config, errorCode(error, startedAt, options.timeout)));
    create.disabled = false;
    create.focus();
  }
});
