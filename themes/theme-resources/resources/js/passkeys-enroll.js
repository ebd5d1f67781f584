// Keycloak Passkeys: completes a registration a backend started for the user. The ticket comes
// from the URL fragment (never sent to a server in a URL) and is dropped from the address bar at
// once; passkeys.js's createPasskey({ issuer, ticket }) does the rest. Text is set with textContent.
import { followDarkMode, say as sayIn } from './passkey-ceremony.js';

const d = document.getElementById('enroll-config').dataset;
const status = document.getElementById('enroll-status');
const button = document.getElementById('enroll-create');
const ticket = window.location.hash.replace(/^#/, ''); // checked below: 43 base64url characters
if (window.location.hash) history.replaceState(null, '', window.location.pathname);

const MESSAGES = {
  cancelled: d.msgCancelled, unsupported: d.msgUnsupported, already_registered: d.msgAlreadyRegistered,
  passkey_limit_reached: d.msgLimitReached, passkey_type_not_allowed: d.msgDeviceBoundRequired,
  registration_not_found: d.msgInvalid,
};

const say = (text, kind = 'error') => sayIn(status, text, kind === 'error' ? 'error' : 'info');

// Opening the link again in this tab only changes the fragment: start over with the new ticket.
window.addEventListener('hashchange', () => window.location.reload());

const sdk = import(`${d.issuer}/passkeys/v1/passkeys.js`);

async function load() {
  if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) {
    say(d.msgInvalid);
    return;
  }
  const { registrationDetails } = await sdk;
  try {
    const details = await registrationDetails({ issuer: d.issuer, ticket });
    const who = document.getElementById('enroll-for');
    who.textContent = d.msgFor.replace('{0}', details.username);
    who.hidden = false;
    button.disabled = false;
  } catch (e) {
    say(MESSAGES[e.code] || d.msgFailed);
  }
}

button.addEventListener('click', async () => {
  const { createPasskey } = await sdk;
  button.disabled = true;
  say(d.msgWorking, 'info');
  try {
    await createPasskey({ issuer: d.issuer, ticket });
    say(d.msgDone, 'success');
    button.hidden = true;
    document.getElementById('enroll-done').hidden = false;
  } catch (e) {
    say(MESSAGES[e.code] || d.msgFailed);
    button.disabled = e.code === 'registration_not_found';
  }
});

followDarkMode(d.darkModeClass);
load();
