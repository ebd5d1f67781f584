package dev.kcpasskeys.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Several HTTPS host names on one local port, for a browser told to resolve them here ({@link
 * #chromiumArguments}) and to trust the test's certificate by its public key: a reverse proxy to
 * Keycloak for some hosts, fixed documents or pages for others. Used to put the RP ID, Keycloak and
 * an app on different sites, as related origins need.
 */
public final class TlsHosts implements AutoCloseable {

  private static final Set<String> FORWARDED_REQUEST_HEADERS =
      Set.of("accept", "authorization", "content-type", "origin");
  private static final Set<String> DROPPED_RESPONSE_HEADERS =
      Set.of("connection", "content-length", "transfer-encoding", "cache-control");

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String spki;
  private final List<String> names;
  private final Map<String, String> proxied = new ConcurrentHashMap<>();
  private final Map<String, String> pages = new ConcurrentHashMap<>();
  private final Map<String, String> forwarded = new ConcurrentHashMap<>();
  private final Set<String> requested = ConcurrentHashMap.newKeySet();
  private final HttpClient http = HttpClient.newHttpClient();

  public TlsHosts(List<String> names) throws Exception {
    this.names = List.copyOf(names);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=Keycloak Passkeys test hosts");
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(System.nanoTime()),
            new Date(System.currentTimeMillis() - 86_400_000L),
            new Date(System.currentTimeMillis() + 30L * 86_400_000L),
            subject,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            names.stream()
                .map(name -> new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new)));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "hosts",
        pair.getPrivate(),
        new char[0],
        new java.security.cert.Certificate[] {certificate});
    KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
    factory.init(keys, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    spki =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded()));
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    // One thread per connection: the JDK server's default single thread stalls a browser's second
    // TLS handshake while the first connection is kept alive.
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Requests to {@code https://host/...} go to {@code target} + the same path and query. */
  public TlsHosts proxy(String host, String target) {
    proxied.put(host, target.replaceAll("/$", ""));
    return this;
  }

  /** {@code https://host/path} answers what {@code targetUrl} answers (a reverse-proxy rule). */
  public TlsHosts forward(String host, String path, String targetUrl) {
    forwarded.put(host + path, targetUrl);
    return this;
  }

  /** {@code https://host/path} answers this text, as {@code type}. */
  public TlsHosts page(String host, String path, String type, String body) {
    pages.put(host + path, type + "\n" + body);
    return this;
  }

  /** Whether the browser asked for {@code https://host/path}. */
  public boolean wasRequested(String host, String path) {
    return requested.contains(host + path);
  }

  /** The Chromium flags: resolve every name here, trust the certificate by its public key. */
  public List<String> chromiumArguments() {
    int port = server.getAddress().getPort();
    return List.of(
        "--host-resolver-rules="
            + String.join(
                ", ", names.stream().map(n -> "MAP " + n + ":443 127.0.0.1:" + port).toList()),
        "--ignore-certificate-errors-spki-list=" + spki);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String host = exchange.getRequestHeaders().getFirst("Host").replaceAll(":\\d+$", "");
      String path = exchange.getRequestURI().getPath();
      requested.add(host + path);
      String page = pages.get(host + path);
      if (page != null) {
        int newline = page.indexOf('\n');
        byte[] body = page.substring(newline + 1).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", page.substring(0, newline));
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String exact = forwarded.get(host + path);
      if (exact != null) {
        forward(exchange, URI.create(exact));
        return;
      }
      String target = proxied.get(host);
      if (target == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      forward(exchange, URI.create(target + exchange.getRequestURI().toString()));
    }
  }

  private void forward(HttpExchange exchange, URI target) throws IOException {
    byte[] requestBody;
    try (InputStream in = exchange.getRequestBody()) {
      requestBody = in.readAllBytes();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .method(
                exchange.getRequestMethod(),
                requestBody.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(requestBody));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
              }
            });
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!DROPPED_RESPONSE_HEADERS.contains(name.toLowerCase())
                    && !name.startsWith(":")) {
                  values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
              });
      // Never cached: a test changes what the realm serves between two requests.
      exchange.getResponseHeaders().add("Cache-Control", "no-store");
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
