import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo app's static server: no dependencies, run with {@code java DemoAppServer.java}.
 * It serves index.html and app.js, plus config.json telling the page where Keycloak is.
 * Everything OIDC happens in the browser (authorization code + PKCE, public client).
 */
public final class DemoAppServer {

  private static final Map<String, String> TYPES = Map.of(
      "/", "text/html; charset=utf-8",
      "/index.html", "text/html; charset=utf-8",
      "/app.js", "text/javascript; charset=utf-8",
      "/app.css", "text/css; charset=utf-8");

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(env("DEMO_APP_PORT", "8081"));
    String keycloak = env("KEYCLOAK_URL", "http://localhost:8080");
    String realm = env("DEMO_REALM", "passkeys-demo");
    String client = env("DEMO_CLIENT", "demo-app");
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    String config = "{\"keycloak\":\"" + keycloak + "\",\"realm\":\"" + realm + "\",\"clientId\":\"" + client + "\"}";
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    } catch (BindException e) {
      System.err.println("demo app: port " + port + " is already in use (set DEMO_APP_PORT)");
      System.exit(2);
      return;
    }
    server.createContext("/", exchange -> serve(exchange, root, config, keycloak));
    server.start();
    System.out.println("demo app listening on http://localhost:" + port + "/");
  }

  private static void serve(HttpExchange exchange, Path root, String config, String keycloak)
      throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body;
    String type;
    if (path.equals("/config.json")) {
      body = config.getBytes(StandardCharsets.UTF_8);
      type = "application/json";
    } else if (TYPES.containsKey(path)) {
      body = Files.readAllBytes(root.resolve(path.equals("/") ? "index.html" : path.substring(1)));
      type = TYPES.get(path);
    } else {
      body = "not found".getBytes(StandardCharsets.UTF_8);
      type = "text/plain";
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; connect-src *; img-src 'self' data:; style-src 'self'; script-src 'self' "
            + keycloak); // the realm's passkeys.js
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
