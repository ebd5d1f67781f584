// Keycloak Passkeys: the account console's "Passkeys" entry. The console loads this module as a
// page component; it sends the browser to the realm's passkeys page, with a link back here.
export default function PasskeysLink() {
  const match = window.location.pathname.match(/^(.*\/realms\/[^/]+)\/account(\/|$)/);
  if (match) {
    const page = new URL(`${match[1]}/passkeys/`, window.location.origin);
    page.searchParams.set('client_id', 'account-console');
    page.searchParams.set('redirect_uri', `${window.location.origin}${match[1]}/account/`);
    window.location.replace(page.href);
  }
  return null;
}
