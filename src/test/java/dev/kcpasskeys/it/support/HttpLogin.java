package dev.kcpasskeys.it.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browserless login driver: what a browser does on the passkey pages, over java.net.http, with
 * its own cookie jar. One instance is one browser (one tab); it is not thread-safe, but many
 * instances may share one {@link HttpClient} (the benchmark runs thousands of sign-ins that way).
 *
 * <p>Redirects are followed by hand so that the redirect back to the client is seen (and not
 * fetched): it ends a step with {@link Result#code()} set.
 */
public final class HttpLogin {

  private static final HttpClient SHARED = newClient();
  private static final int MAX_REDIRECTS = 10;
  private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:-]+)\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern CONFIG =
      Pattern.compile("<div\\b[^>]*\\bid=\"passkey-config\"[^>]*>", Pattern.DOTALL);
  private static final List<Pattern> ERROR_TEXT =
      List.of(
          Pattern.compile(
              "<span[^>]*class=\"[^\"]*kc-feedback-text[^\"]*\"[^>]*>(.*?)</span>", Pattern.DOTALL),
          Pattern.compile("<div[^>]*id=\"input-error\"[^>]*>(.*?)</div>", Pattern.DOTALL),
          Pattern.compile(
              "<p[^>]*class=\"[^\"]*instruction[^\"]*\"[^>]*>(.*?)</p>", Pattern.DOTALL));

  private final HttpClient http;
  private final String origin;
  private final CookieManager cookies;
  private Result last;
  private final Map<String, String> extraHeaders = new LinkedHashMap<>();

  /** A fresh browser for the server at {@code origin} ({@code http://localhost:<port>}). */
  public HttpLogin(String origin) {
    this(SHARED, origin);
  }

  public HttpLogin(HttpClient http, String origin) {
    this(http, origin, new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER), null);
  }

  private HttpLogin(HttpClient http, String origin, CookieManager cookies, Result last) {
    this.http = http;
    this.origin = origin;
    this.cookies = cookies;
    this.last = last;
  }

  /**
   * The same browser talking to another server at {@code otherOrigin} (another node of a cluster on
   * another port): it shares this one's cookies, as browsers do across ports of one host, and
   * starts from this one's last page. Steps taken through either one are not seen by the other's
   * {@link #last()}.
   */
  public HttpLogin via(String otherOrigin) {
    return new HttpLogin(http, otherOrigin, cookies, last);
  }

  public static HttpClient newClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * What a step ended with. {@code url} is the last URL fetched; {@code location} the redirect that
   * ended the step (to the client), if any; {@code code} its authorization code; {@code error} the
   * visible error or info text of the page, unescaped, or "".
   */
  public record Result(
      int status, URI url, String location, String code, String html, String error) {

    public boolean redirectedToClient() {
      return location != null && !location.isEmpty();
    }

    public boolean isLoginPage() {
      return html.contains("id=\"passkey-form\"");
    }

    public boolean isRegistrationPage() {
      return html.contains("id=\"passkey-register-form\"");
    }

    /** The action of the form with this id, unescaped; empty when the page has no such form. */
    public Optional<String> formAction(String formId) {
      Matcher forms = FORM.matcher(html);
      while (forms.find()) {
        Map<String, String> attributes = attributes(forms.group());
        if (formId.equals(attributes.get("id"))) {
          return Optional.ofNullable(attributes.get("action"));
        }
      }
      return Optional.empty();
    }

    /** The ceremony options of the page (request or creation options JSON), decoded. */
    public String options() {
      return decodedConfig("data-options");
    }

    /**
     * The creation options of the page's automatic upgrade attempt (a conditional create), decoded;
     * "" when none.
     */
    public String upgradeOptions() {
      return decodedConfig("data-upgrade-options");
    }

    private String decodedConfig(String attribute) {
      Matcher config = CONFIG.matcher(html);
      if (!config.find()) {
        throw new IllegalStateException(
            "No #passkey-config on the page (status " + status + ", " + url + "): " + error);
      }
      String encoded = attributes(config.group()).getOrDefault(attribute, "");
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /** The challenge (base64url) the page's options carry. */
    public String challenge() {
      Matcher m = Pattern.compile("\"challenge\"\\s*:\\s*\"([^\"]+)\"").matcher(options());
      if (!m.find()) {
        throw new IllegalStateException("no challenge in " + options());
      }
      return m.group(1);
    }

    @Override
    public String toString() {
      return "Result[status="
          + status
          + ", url="
          + url
          + ", location="
          + location
          + ", error="
          + error
          + "]";
    }
  }

  public String origin() {
    return origin;
  }

  /** Sends this header with every request from now on (e.g. a forged {@code X-Forwarded-Host}). */
  public HttpLogin withHeader(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  /** The page (or redirect) the previous step ended with. */
  public Result last() {
    if (last == null) {
      throw new IllegalStateException("open() first");
    }
    return last;
  }

  /** Starts a login: GET the authorization URL, following redirects. */
  public Result open(String authorizationUrl) {
    return last = follow(send(get(URI.create(authorizationUrl))), URI.create(authorizationUrl));
  }

  /** Submits the username and password form of the current login page. */
  public Result passwordSignIn(String username, String password) {
    return passwordSignIn(username, password, Map.of());
  }

  /** The same, with more fields the page's script adds (e.g. {@code passkey_upgrade_capable}). */
  public Result passwordSignIn(String username, String password, Map<String, String> scriptFields) {
    String action =
        last()
            .formAction("kc-form-login")
            .orElseThrow(() -> new IllegalStateException("No password form on " + last()));
    Map<String, String> fields = new LinkedHashMap<>(scriptFields);
    fields.put("username", username);
    fields.put("password", password);
    return post(action, fields);
  }

  /** Submits a passkey response through the current login page's passkey form. */
  public Result passkeySignIn(String responseJson, String path) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("passkey_response", responseJson);
    if (path != null) {
      fields.put("passkey_path", path);
    }
    return post(passkeyAction(), fields);
  }

  /** The action of the current login page's passkey form. */
  public String passkeyAction() {
    return last()
        .formAction("passkey-form")
        .orElseThrow(() -> new IllegalStateException("No passkey form on " + last()));
  }

  /** Submits a name and a registration response through the current registration page. */
  public Result register(String name, String responseJson) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (name != null) {
      fields.put("passkey_name", name);
    }
    fields.put("passkey_response", responseJson);
    return post(registerAction(), fields);
  }

  /** The action of the current registration page's form. */
  public String registerAction() {
    return last()
        .formAction("passkey-register-form")
        .orElseThrow(() -> new IllegalStateException("Not the registration page: " + last()));
  }

  /** POSTs a form to {@code action} (absolute, or relative to the server), following redirects. */
  public Result post(String action, Map<String, String> fields) {
    URI uri = resolve(last == null ? URI.create(origin + "/") : last.url(), action);
    HttpRequest.Builder request =
        builder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", origin)
            .POST(HttpRequest.BodyPublishers.ofString(formBody(fields)));
    return last = follow(send(request), uri);
  }

  /**
   * Forgets the cookies with this name (e.g. AUTH_SESSION_ID, to imitate an expired auth session).
   */
  public void forgetCookie(String name) {
    cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .toList()
        .forEach(
            c ->
                cookies
                    .getCookieStore()
                    .getURIs()
                    .forEach(uri -> cookies.getCookieStore().remove(uri, c)));
  }

  /** Forgets every cookie (sessions and auth sessions): a different browser from now on. */
  public void forgetCookies() {
    cookies.getCookieStore().removeAll();
  }

  private Result follow(HttpResponse<String> response, URI uri) {
    for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (status / 100 != 3 || location.isEmpty()) {
        return new Result(status, uri, null, null, response.body(), visibleError(response.body()));
      }
      URI next = resolve(uri, location.get());
      if (!next.toString().startsWith(origin + "/")) {
        return new Result(
            status, uri, next.toString(), Oidc.codeOf(next.toString()), response.body(), "");
      }
      uri = next;
      response = send(get(uri));
    }
    throw new IllegalStateException("More than " + MAX_REDIRECTS + " redirects, last " + uri);
  }

  private HttpRequest.Builder get(URI uri) {
    return builder(uri).GET();
  }

  private HttpRequest.Builder builder(URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "text/html")
            .header("Accept-Language", "en")
            .header("User-Agent", "kcpasskeys-httplogin Chrome/140 Linux");
    extraHeaders.forEach(builder::header);
    String cookieHeader = cookieHeader(uri);
    if (!cookieHeader.isEmpty()) {
      builder.header("Cookie", cookieHeader);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      cookies.put(request.uri(), response.headers().map());
      return response;
    } catch (IOException e) {
      throw new IllegalStateException(
          "HTTP " + request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Browsers treat http://localhost as a secure context and send Secure cookies there, which
   * Keycloak may rely on; CookieManager only hands Secure cookies to https URIs, so ask it as if
   * for the https twin (and match the path ourselves, which the store does not).
   */
  private String cookieHeader(URI uri) {
    try {
      URI secureTwin =
          new URI("https", null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
      return cookies.getCookieStore().get(secureTwin).stream()
          .filter(c -> pathMatches(uri.getPath(), c.getPath()))
          .map(c -> c.getName() + "=" + c.getValue())
          .collect(Collectors.joining("; "));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static boolean pathMatches(String requestPath, String cookiePath) {
    if (cookiePath == null || cookiePath.isEmpty() || cookiePath.equals("/")) {
      return true;
    }
    String path = requestPath == null || requestPath.isEmpty() ? "/" : requestPath;
    String prefix = cookiePath.endsWith("/") ? cookiePath : cookiePath + "/";
    return path.equals(cookiePath) || path.startsWith(prefix);
  }

  private static URI resolve(URI base, String reference) {
    return base.resolve(unescapeHtml(reference).trim());
  }

  static Map<String, String> attributes(String tag) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Matcher m = ATTRIBUTE.matcher(tag);
    while (m.find()) {
      attributes.putIfAbsent(m.group(1).toLowerCase(), unescapeHtml(m.group(2)));
    }
    return attributes;
  }

  static String visibleError(String html) {
    for (Pattern pattern : ERROR_TEXT) {
      Matcher m = pattern.matcher(html);
      if (m.find()) {
        String text =
            unescapeHtml(m.group(1).replaceAll("<[^>]+>", "")).replaceAll("\\s+", " ").trim();
        if (!text.isEmpty()) {
          return text;
        }
      }
    }
    return "";
  }

  /** The entities Keycloak's templates write (FreeMarker HTML escaping and kcSanitize). */
  static String unescapeHtml(String text) {
    Matcher numeric = Pattern.compile("&#(x?)([0-9a-fA-F]+);").matcher(text);
    StringBuilder out = new StringBuilder();
    while (numeric.find()) {
      int cp = Integer.parseInt(numeric.group(2), numeric.group(1).isEmpty() ? 10 : 16);
      numeric.appendReplacement(out, Matcher.quoteReplacement(new String(Character.toChars(cp))));
    }
    numeric.appendTail(out);
    return out.toString()
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  static String formBody(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** For debugging: the cookies this browser holds. */
  public List<HttpCookie> cookies() {
    return cookies.getCookieStore().getCookies();
  }
}
