// Keycloak Passkeys: the account console's "Passkeys" entry. The console loads this module as a
// page component; it sends the browser to the realm's passkeys page, with a link back here.
//
// Why the entry's path in content.json is the literal "content/:componentId": keycloak.v3 builds
// its routes from content.json and gives an entry a page only when its id or path names one of
// its own routes. "content/:componentId" is the route that loads a theme module (modulePath) and
// finds it by the URL's last segment, so that literal value is the one that both gets the route
// and lets the lookup find this entry. The console URL shows it only for a moment.
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
