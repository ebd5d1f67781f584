// Keycloak Passkeys: the sign-in page. Autofill (conditional mediation) on the username field
// and a "Sign in with a passkey" button share one ceremony; the password form stays usable.
import {
  clientCapabilities, conditionalMediationAvailable, credentialToJSON, errorCode, getPasskey, messageFor, readOptions,
  say, webauthnAvailable,
} from './passkey-ceremony.js';

const config = document.getElementById('passkey-config');
const button = document.getElementById('passkey-sign-in');
const status = document.getElementById('passkey-status');
const form = document.getElementById('passkey-form');
const options = readOptions(config.dataset.options);

function submit(credential, path) {
  const response = document.getElementById('passkey-response');
  const pathField = document.getElementById('passkey-path');
  response.value = JSON.stringify(credentialToJSON(credential));
  response.disabled = false;
  pathField.value = path;
  pathField.disabled = false;
  form.submit();
}

async function signIn(mediation, path) {
  const startedAt = Date.now();
  try {
    const credential = await getPasskey(options, mediation);
    if (credential) submit(credential, path);
  } catch (error) {
    const code = errorCode(error, startedAt, options.timeout);
    // Autofill failing quietly is normal (no passkey picked); our own abort is not an error.
    if (code === 'aborted' || mediation === 'conditional') return;
    say(status, messageFor(config, code));
    button.focus();
  }
}

async function signalUnknownCredential() {
  const credentialId = config.dataset.unknownCredential;
  if (credentialId && typeof PublicKeyCredential.signalUnknownCredential === 'function') {
    try {
      await PublicKeyCredential.signalUnknownCredential({ rpId: config.dataset.rpId, credentialId });
    } catch {
      // best effort: the password manager may not know it either
    }
  }
}

/** Tells the server, with the password, whether an automatic passkey upgrade can follow it. */
/**
 * After a username step Keycloak's keycloak.v2 layout shows the username in a read-only field
 * (#kc-attempted-username) whose label points at an id that is not on the page (for="username"):
 * screen readers announce an unnamed field. Point the label at the field that is there.
 */
function nameTheAttemptedUsername() {
  const shown = document.getElementById('kc-attempted-username');
  const label = document.querySelector('label[for="username"]');
  if (shown && label && !document.getElementById('username')) label.htmlFor = shown.id;
}

async function reportUpgradeCapability() {
  const field = document.getElementById('passkey-upgrade-capable');
  if (field) field.value = String(Boolean((await clientCapabilities()).conditionalCreate));
}

reportUpgradeCapability();
nameTheAttemptedUsername();

if (!webauthnAvailable()) {
  if (config.dataset.userKnown === 'true' || config.dataset.passkeyRequired === 'true') {
    say(status, config.dataset.msgUnsupported);
  }
} else {
  button.hidden = false;
  // "or" between the password form and the passkey button, only when there is a button.
  const divider = document.getElementById('passkey-divider');
  if (divider) divider.hidden = false;
  button.addEventListener('click', () => {
    say(status, '');
    signIn(undefined, 'button');
  });
  signalUnknownCredential();
  if (config.dataset.userKnown !== 'true' && document.getElementById('username')
      && await conditionalMediationAvailable()) {
    signIn('conditional', 'autofill');
  }
}
