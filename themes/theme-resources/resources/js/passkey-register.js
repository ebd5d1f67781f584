// Keycloak Passkeys: the registration page. The user names the passkey first, then the
// browser's dialog creates it; errors are announced in the page's live region. After a password
// sign-in the page may first try an automatic upgrade: a conditional create, which the password
// manager answers without any dialog; only when that makes no passkey does the nudge show.
import {
  abortPasskeyRequest, clientCapabilities, createPasskey, credentialToJSON, errorCode, messageFor, readOptions, say,
  webauthnAvailable,
} from './passkey-ceremony.js';

const config = document.getElementById('passkey-config');
const form = document.getElementById('passkey-register-form');
const status = document.getElementById('passkey-status');
const name = document.getElementById('passkey-name');
const create = document.getElementById('passkey-create');
const options = readOptions(config.dataset.options);
const suggested = name.value;
const nudge = config.dataset.nudge === 'true';

/** How long the upgrade runs unseen before the nudge shows (or, without a nudge, Continue). */
const UPGRADE_QUIET_MS = 3000;
/** Without a nudge, how long before the page stops waiting for the password manager and goes on. */
const UPGRADE_GIVE_UP_MS = 10000;

let upgrade = null; // the pending conditional create, while there is one
let userTookOver = false; // the user pressed Create passkey while it was pending

/**
 * The nudge is only for browsers that can make a passkey here (a platform authenticator, or a
 * phone over hybrid transport); anywhere else it answers "unsupported" at once, unseen.
 */
async function canCreatePasskey() {
  if (!webauthnAvailable()) return false;
  try {
    const caps = await clientCapabilities();
    if (caps.hybridTransport || caps.userVerifyingPlatformAuthenticator) return true;
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

function submitWith(fieldName, value) {
  const field = document.createElement('input');
  field.type = 'hidden';
  field.name = fieldName;
  field.value = value;
  form.append(field);
  form.submit();
}

function putResponse(credential) {
  const response = document.getElementById('passkey-response');
  response.value = JSON.stringify(credentialToJSON(credential));
  response.disabled = false;
}

/** Shows the nudge (its header, intro and buttons) in place of "Finishing your sign-in…". */
function showNudge() {
  document.getElementById('passkey-register-ui').hidden = false;
  document.getElementById('passkey-upgrade-status').hidden = true;
  const title = document.getElementById('kc-page-title');
  if (title) title.textContent = config.dataset.msgNudgeTitle;
}

async function offerNudge() {
  if (!(await canCreatePasskey())) {
    submitWith('nudge', 'unsupported');
  }
}

/** The upgrade made no passkey: the nudge, when the realm has one for this sign-in, else on to the app. */
async function afterUpgrade() {
  if (!nudge) {
    form.submit(); // carries passkey_upgrade: the server ends the attempt and lets the sign-in go on
    return;
  }
  showNudge();
  await offerNudge();
}

async function tryUpgrade() {
  const outcome = document.getElementById('passkey-upgrade');
  outcome.disabled = false;
  if (!(await clientCapabilities()).conditionalCreate) {
    outcome.value = 'unsupported';
    await afterUpgrade();
    return;
  }
  outcome.value = 'fallback';
  const quiet = setTimeout(() => {
    if (nudge) showNudge();
    else document.getElementById('passkey-continue').hidden = false;
  }, UPGRADE_QUIET_MS);
  const giveUp = nudge ? null : setTimeout(abortPasskeyRequest, UPGRADE_GIVE_UP_MS);
  upgrade = createPasskey(readOptions(config.dataset.upgradeOptions), 'conditional');
  try {
    const credential = await upgrade;
    putResponse(credential);
    outcome.value = 'created';
    form.submit();
  } catch {
    // Declined by the password manager, not supported, or aborted: no passkey either way.
    if (!userTookOver) await afterUpgrade();
  } finally {
    clearTimeout(quiet);
    clearTimeout(giveUp);
    upgrade = null;
  }
}

if (config.dataset.upgrade === 'true') {
  tryUpgrade();
} else if (nudge) {
  await offerNudge();
} else if (!webauthnAvailable()) {
  say(status, config.dataset.msgUnsupported);
  create.disabled = true;
}

form.addEventListener('submit', async (event) => {
  if (event.submitter && (event.submitter.name === 'cancel-aia' || event.submitter.name === 'nudge'
      || event.submitter.name === 'passkey_upgrade')) {
    return; // plain POST: back to the app, the nudge's answer, or Continue
  }
  event.preventDefault();
  if (!name.value.trim()) {
    say(status, config.dataset.msgNameRequired);
    name.focus();
    return;
  }
  create.disabled = true;
  if (upgrade) {
    // One create at a time: the browser refuses a second while the conditional one is pending.
    userTookOver = true;
    abortPasskeyRequest();
    await upgrade.catch(() => {});
  }
  const startedAt = Date.now();
  try {
    const credential = await createPasskey(options);
    putResponse(credential);
    document.getElementById('passkey-name-default').value = String(name.value === suggested);
    form.submit();
  } catch (error) {
    say(status, messageFor(config, errorCode(error, startedAt, options.timeout)));
    create.disabled = false;
    create.focus();
  }
});
