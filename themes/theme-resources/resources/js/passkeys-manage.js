// Keycloak Passkeys: the passkeys page. Adds, renames and deletes passkeys through the page's
// CSRF-protected JSON calls and keeps the browser's passkey list in step with the Signal API.
// User-provided text is only ever set with textContent.
import { createPasskey, credentialToJSON, errorCode, followDarkMode, messageFor, say, webauthnAvailable }
  from './passkey-ceremony.js';

const config = document.getElementById('passkeys-config');
const d = config.dataset;
const status = document.getElementById('passkeys-status');
const list = document.getElementById('passkeys-list');
const empty = document.getElementById('passkeys-empty');
const addButton = document.getElementById('passkeys-add');
const dialog = document.getElementById('passkeys-delete-dialog');
const FLASH = 'passkeys.flash';

/** Thrown when the page navigates away (to sign in again): nothing more to show. */
class Leaving extends Error {}

const fill = (template, value) => template.replace('{0}', value);

function showTimes() {
  const exact = new Intl.DateTimeFormat(d.lang, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(d.lang, { numeric: 'auto' });
  const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600],
    ['minute', 60], ['second', 1]];
  for (const time of document.querySelectorAll('time.kcp-time')) {
    const when = new Date(time.getAttribute('datetime'));
    if (Number.isNaN(when.getTime())) continue;
    const seconds = Math.round((when.getTime() - Date.now()) / 1000);
    const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) || ['second', 1];
    time.textContent = `${relative.format(Math.round(seconds / size), unit)} (${exact.format(when)})`;
    time.title = exact.format(when);
  }
}

function acceptedIds() {
  return [...list.querySelectorAll('li.kcp-passkey')].map((item) => item.dataset.credentialId);
}

/** Tells the browser/password manager which passkeys still exist (it may hide deleted ones). */
function signalAccepted(ids) {
  if (!window.PublicKeyCredential || typeof PublicKeyCredential.signalAllAcceptedCredentials !== 'function') return;
  PublicKeyCredential.signalAllAcceptedCredentials({ rpId: d.rpId, userId: d.userHandle, allAcceptedCredentialIds: ids })
    .catch(() => {});
}

function signalUserDetails() {
  if (!window.PublicKeyCredential || typeof PublicKeyCredential.signalCurrentUserDetails !== 'function') return;
  PublicKeyCredential.signalCurrentUserDetails({ rpId: d.rpId, userId: d.userHandle, name: d.username,
    displayName: d.displayName }).catch(() => {});
}

/** Signs in again; with a passkey when the account has one (acr_values=phr), as the server asked. */
function reauthenticate(withPasskey) {
  say(status, d.msgReauth, 'info');
  window.location.assign(withPasskey ? d.reauthPasskeyUrl : d.reauthUrl);
  throw new Leaving();
}

async function call(method, path, body) {
  const response = await fetch(d.apiUrl + path, {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Passkeys-CSRF': d.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    // empty or not JSON
  }
  if (response.status === 401 || (response.status === 403 && json && json.error === 'reauthentication_required')) {
    reauthenticate(false);
  }
  if (response.status === 403 && json && json.error === 'passkey_reauthentication_required') {
    reauthenticate(true);
  }
  if (!response.ok) {
    const error = new Error((json && json.error_description) || `HTTP ${response.status}`);
    error.status = response.status;
    error.code = json && json.error;
    throw error;
  }
  return json;
}

async function addPasskey() {
  addButton.disabled = true;
  say(status, d.msgWorking, 'info');
  let startedAt = Date.now();
  let timeout;
  try {
    const started = await call('POST', '/registrations');
    timeout = started.publicKey.timeout;
    startedAt = Date.now();
    const credential = await createPasskey(started.publicKey);
    await call('POST', `/registrations/${encodeURIComponent(started.id)}`, { credential: credentialToJSON(credential) });
    sessionStorage.setItem(FLASH, d.msgAdded);
    window.location.reload();
  } catch (error) {
    if (error instanceof Leaving) return;
    if (error.status) {
      say(status, addFailure(error));
    } else {
      say(status, messageFor(config, errorCode(error, startedAt, timeout)));
    }
    addButton.disabled = false;
    addButton.focus();
  }
}

/**
 * 409: the account has as many passkeys as the realm allows, or this authenticator's passkey is
 * already registered; 403 passkey_type_not_allowed: a synced passkey where only device-bound ones
 * count; 503: nothing saved, adding again later works.
 */
function addFailure(error) {
  const httpStatus = error.status;
  if (error.code === 'passkey_limit_reached') return d.msgLimitReached;
  if (error.code === 'passkey_type_not_allowed') return d.msgDeviceBoundRequired;
  if (httpStatus === 409) return d.msgAlreadyRegistered;
  if (httpStatus === 503) return d.msgStorageUnavailable;
  return d.msgFailed;
}

function nameError(error) {
  const description = error.message || '';
  if (error.code !== 'invalid_name') return d.msgError;
  if (description.includes('64')) return d.msgNameTooLong;
  if (description.includes('characters')) return d.msgNameInvalid;
  return d.msgNameRequired;
}

function startRename(item) {
  const form = item.querySelector('.kcp-rename-form');
  const input = form.querySelector('.kcp-rename-input');
  input.value = item.querySelector('.kcp-passkey-name').textContent;
  form.hidden = false;
  item.querySelector('.kcp-row-actions').hidden = true;
  input.focus();
  input.select();
}

function endRename(item) {
  const form = item.querySelector('.kcp-rename-form');
  form.hidden = true;
  setFieldError(form, '');
  item.querySelector('.kcp-row-actions').hidden = false;
  item.querySelector('.kcp-rename').focus();
}

function setFieldError(form, message) {
  const input = form.querySelector('.kcp-rename-input');
  form.querySelector('.kcp-field-error').textContent = message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

async function saveRename(item) {
  const form = item.querySelector('.kcp-rename-form');
  const name = form.querySelector('.kcp-rename-input').value.trim();
  if (!name) return setFieldError(form, d.msgNameRequired);
  if ([...name].length > 64) return setFieldError(form, d.msgNameTooLong);
  try {
    const renamed = await call('PATCH', `/passkeys/${encodeURIComponent(item.dataset.passkeyId)}`, { name });
    item.querySelector('.kcp-passkey-name').textContent = renamed.name;
    endRename(item);
    say(status, fill(d.msgRenamed, renamed.name), 'info');
  } catch (error) {
    if (error instanceof Leaving) return;
    setFieldError(form, nameError(error));
    form.querySelector('.kcp-rename-input').focus();
  }
}

let deleting = null;

function confirmDelete(item) {
  deleting = item;
  document.getElementById('passkeys-delete-text').textContent =
    fill(d.msgDeleteText, item.querySelector('.kcp-passkey-name').textContent);
  dialog.returnValue = '';
  dialog.showModal();
  document.getElementById('passkeys-delete-cancel').focus();
}

async function deletePasskey(item) {
  const name = item.querySelector('.kcp-passkey-name').textContent;
  try {
    const result = await call('DELETE', `/passkeys/${encodeURIComponent(item.dataset.passkeyId)}`);
    item.remove();
    empty.hidden = acceptedIds().length > 0;
    signalAccepted(result.accepted_credential_ids || acceptedIds());
    say(status, fill(d.msgDeleted, name), 'info');
    addButton.focus();
  } catch (error) {
    if (error instanceof Leaving) return;
    say(status, error.code === 'last_sign_in_method' ? d.msgLastMethod : d.msgError);
    item.querySelector('.kcp-delete').focus();
  }
}

function wire() {
  list.addEventListener('click', (event) => {
    const item = event.target.closest('li.kcp-passkey');
    if (!item) return;
    if (event.target.closest('.kcp-rename')) startRename(item);
    else if (event.target.closest('.kcp-rename-cancel')) endRename(item);
    else if (event.target.closest('.kcp-delete')) confirmDelete(item);
  });
  list.addEventListener('submit', (event) => {
    event.preventDefault();
    saveRename(event.target.closest('li.kcp-passkey'));
  });
  list.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && event.target.classList.contains('kcp-rename-input')) {
      endRename(event.target.closest('li.kcp-passkey'));
    }
  });
  dialog.addEventListener('close', () => {
    const item = deleting;
    deleting = null;
    if (item && dialog.returnValue === 'delete') deletePasskey(item);
    else if (item) item.querySelector('.kcp-delete').focus();
  });
  addButton.addEventListener('click', addPasskey);
}

followDarkMode(d.darkModeClass);
showTimes();
wire();
if (!webauthnAvailable()) {
  addButton.disabled = true;
  say(status, d.msgUnsupported);
}
const flash = sessionStorage.getItem(FLASH);
if (flash) {
  sessionStorage.removeItem(FLASH);
  say(status, flash, 'info');
}
signalAccepted(acceptedIds());
signalUserDetails();
