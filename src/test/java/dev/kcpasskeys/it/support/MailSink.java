package dev.kcpasskeys.it.support;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny in-process SMTP server on a free loopback port for the ITs: it speaks just enough SMTP
 * (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for Keycloak's mail sender, keeps every message
 * it receives, and decodes them (headers with MIME encoded words, multipart bodies,
 * quoted-printable and base64) so tests can read the subject, the HTML part and the text part.
 *
 * <p>Point a realm at it with {@link #realmSmtpServer()}. {@link #rejectMail(boolean)} makes it
 * answer every transaction with a permanent error, to test a failing mail server.
 */
public final class MailSink implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);

  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private volatile boolean rejecting;

  private MailSink(ServerSocket server) {
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "mail-sink-" + server.getLocalPort());
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** Starts a sink on a free port of 127.0.0.1. */
  public static MailSink start() {
    try {
      return new MailSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open a port for the mail sink", e);
    }
  }

  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** A realm's {@code smtpServer} settings that send to this sink (no TLS, no authentication). */
  public Map<String, String> realmSmtpServer() {
    Map<String, String> smtp = new LinkedHashMap<>();
    smtp.put("host", host());
    smtp.put("port", Integer.toString(port()));
    smtp.put("from", "noreply@example.test");
    smtp.put("fromDisplayName", "Passkeys IT");
    smtp.put("auth", "false");
    smtp.put("ssl", "false");
    smtp.put("starttls", "false");
    return smtp;
  }

  /** While true, every MAIL command is refused with a permanent error (a failing mail server). */
  public void rejectMail(boolean reject) {
    this.rejecting = reject;
  }

  /** Every message received so far, oldest first. */
  public List<Message> messages() {
    return List.copyOf(received);
  }

  /** The messages received so far for one recipient (case-insensitive), oldest first. */
  public List<Message> messagesTo(String address) {
    return received.stream().filter(m -> m.isFor(address)).toList();
  }

  /** Forgets every message received so far. */
  public void clear() {
    received.clear();
  }

  /** Waits for the first message to {@code address}; fails the test after {@code timeout}. */
  public Message awaitMessageTo(String address, Duration timeout) {
    return awaitMessageTo(address, 1, timeout);
  }

  /** Waits until {@code address} has received {@code count} messages; returns the last of those. */
  public Message awaitMessageTo(String address, int count, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Message> mine = messagesTo(address);
      if (mine.size() >= count) {
        return mine.get(count - 1);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "No message #"
                + count
                + " to "
                + address
                + " within "
                + timeout
                + "; received: "
                + received.stream().map(Message::recipients).toList());
      }
      sleep(POLL);
    }
  }

  /**
   * Waits {@code quietFor} and returns what arrived for {@code address} meanwhile, for tests that
   * assert nothing was sent (a short quiet period is the only way to see an absence).
   */
  public List<Message> messagesToAfter(String address, Duration quietFor) {
    sleep(quietFor);
    return messagesTo(address);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing a listening socket has nothing left to report
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread session = new Thread(() -> serve(socket), "mail-sink-session");
        session.setDaemon(true);
        session.start();
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // a single broken connection must not stop the sink
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      reply(out, "220 mail-sink ESMTP ready");
      String from = null;
      List<String> to = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String verb =
            line.length() >= 4
                ? line.substring(0, 4).toUpperCase(Locale.ROOT)
                : line.toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> reply(out, "250-mail-sink greets you\r\n250-8BITMIME\r\n250 SMTPUTF8");
          case "HELO" -> reply(out, "250 mail-sink");
          case "MAIL" -> {
            if (rejecting) {
              reply(out, "554 5.7.1 mail sink told to reject");
            } else {
              from = address(line);
              to.clear();
              reply(out, "250 OK");
            }
          }
          case "RCPT" -> {
            if (from == null) {
              reply(out, "503 5.5.1 MAIL first");
            } else {
              to.add(address(line));
              reply(out, "250 OK");
            }
          }
          case "DATA" -> {
            if (from == null || to.isEmpty()) {
              reply(out, "503 5.5.1 MAIL and RCPT first");
            } else {
              reply(out, "354 end with <CRLF>.<CRLF>");
              received.add(new Message(from, List.copyOf(to), readData(in)));
              from = null;
              to.clear();
              reply(out, "250 OK queued");
            }
          }
          case "RSET" -> {
            from = null;
            to.clear();
            reply(out, "250 OK");
          }
          case "NOOP" -> reply(out, "250 OK");
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "502 5.5.2 not implemented");
        }
      }
    } catch (IOException e) {
      // the client went away; whatever was complete is already stored
    }
  }

  /**
   * Reads the DATA section up to the lone dot, undoing dot-stuffing; returns it in ISO-8859-1
   * (byte-preserving).
   */
  private static String readData(BufferedReader in) throws IOException {
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null && !line.equals(".")) {
      data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
    }
    return data.toString();
  }

  private static String address(String command) {
    int open = command.indexOf('<');
    int close = command.indexOf('>', open + 1);
    if (open >= 0 && close > open) {
      return command.substring(open + 1, close);
    }
    int colon = command.indexOf(':');
    return command.substring(colon + 1).trim();
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One received message: the envelope, the raw data, and its decoded parts. */
  public record Message(String envelopeFrom, List<String> recipients, String raw) {

    public boolean isFor(String address) {
      return recipients.stream().anyMatch(r -> r.equalsIgnoreCase(address));
    }

    /** A top-level header, unfolded and with MIME encoded words decoded; empty when absent. */
    public Optional<String> header(String name) {
      return Mime.parse(raw).header(name).map(Mime::decodeWords);
    }

    /** The raw (still encoded) header value, to check what actually went over the wire. */
    public Optional<String> rawHeader(String name) {
      return Mime.parse(raw).header(name);
    }

    public String subject() {
      return header("Subject")
          .orElseThrow(() -> new AssertionError("Message has no Subject:\n" + raw));
    }

    /** The decoded text/html part; fails the test when there is none. */
    public String html() {
      return Mime.parse(raw)
          .firstPart("text/html")
          .orElseThrow(() -> new AssertionError("Message has no text/html part:\n" + raw));
    }

    /** The decoded text/plain part; fails the test when there is none. */
    public String text() {
      return Mime.parse(raw)
          .firstPart("text/plain")
          .orElseThrow(() -> new AssertionError("Message has no text/plain part:\n" + raw));
    }
  }

  /** Just enough MIME (RFC 2045-2047) to read what Keycloak sends. */
  static final class Mime {
    private static final Pattern ENCODED_WORD =
        Pattern.compile("=\\?([^?]+)\\?([bBqQ])\\?([^?]*)\\?=");
    private static final Pattern BETWEEN_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");
    private static final Pattern PARAM =
        Pattern.compile(";\\s*([A-Za-z0-9_-]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");

    private final Map<String, String> headers;
    private final String body;

    private Mime(Map<String, String> headers, String body) {
      this.headers = headers;
      this.body = body;
    }

    /**
     * Splits an entity (ISO-8859-1 text that stands for raw bytes) into unfolded headers and body.
     */
    static Mime parse(String entity) {
      String normalized = entity.replace("\r\n", "\n");
      int split = normalized.indexOf("\n\n");
      String head = split < 0 ? normalized : normalized.substring(0, split);
      String body = split < 0 ? "" : normalized.substring(split + 2);
      Map<String, String> headers = new LinkedHashMap<>();
      String unfolded = head.replaceAll("\n[ \t]+", " ");
      for (String line : unfolded.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
      return new Mime(headers, body);
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    String contentType() {
      return header("Content-Type")
          .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
          .orElse("text/plain");
    }

    Optional<String> parameter(String name) {
      Matcher m = PARAM.matcher(header("Content-Type").orElse(""));
      while (m.find()) {
        if (m.group(1).equalsIgnoreCase(name)) {
          return Optional.of(m.group(3) != null ? m.group(3) : m.group(2));
        }
      }
      return Optional.empty();
    }

    /**
     * The decoded text of the first part of this content type, searching nested multiparts
     * depth-first.
     */
    Optional<String> firstPart(String type) {
      if (contentType().startsWith("multipart/")) {
        String boundary =
            parameter("boundary")
                .orElseThrow(() -> new AssertionError("multipart without boundary"));
        for (String part : parts(boundary)) {
          Optional<String> found = parse(part).firstPart(type);
          if (found.isPresent()) {
            return found;
          }
        }
        return Optional.empty();
      }
      if (!contentType().equals(type)) {
        return Optional.empty();
      }
      Charset charset = Charset.forName(parameter("charset").orElse("US-ASCII"));
      return Optional.of(new String(decodeBody(), charset));
    }

    private List<String> parts(String boundary) {
      List<String> parts = new ArrayList<>();
      String delimiter = "--" + boundary;
      String[] pieces = ("\n" + body).split("\n" + Pattern.quote(delimiter));
      for (int i = 1; i < pieces.length; i++) {
        String piece = pieces[i];
        if (piece.startsWith("--")) {
          break;
        }
        int lineEnd = piece.indexOf('\n');
        parts.add(lineEnd < 0 ? "" : piece.substring(lineEnd + 1));
      }
      return parts;
    }

    private byte[] decodeBody() {
      String encoding = header("Content-Transfer-Encoding").orElse("7bit").toLowerCase(Locale.ROOT);
      return switch (encoding) {
        case "base64" -> Base64.getMimeDecoder().decode(body.trim());
        case "quoted-printable" -> decodeQuotedPrintable(body, false);
        default -> stripFinalNewline(body).getBytes(StandardCharsets.ISO_8859_1);
      };
    }

    private static String stripFinalNewline(String text) {
      return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** RFC 2045 §6.7 (body) and, with {@code underscoreIsSpace}, the RFC 2047 "Q" encoding. */
    static byte[] decodeQuotedPrintable(String text, boolean underscoreIsSpace) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String source = underscoreIsSpace ? text : stripFinalNewline(text);
      for (int i = 0; i < source.length(); i++) {
        char c = source.charAt(i);
        if (c == '=' && i + 1 < source.length() && source.charAt(i + 1) == '\n') {
          i++; // soft line break
        } else if (c == '='
            && i + 2 < source.length()
            && isHex(source.charAt(i + 1))
            && isHex(source.charAt(i + 2))) {
          out.write(Integer.parseInt(source.substring(i + 1, i + 3), 16));
          i += 2;
        } else if (c == '_' && underscoreIsSpace) {
          out.write(' ');
        } else {
          out.write(c);
        }
      }
      return out.toByteArray();
    }

    private static boolean isHex(char c) {
      return Character.digit(c, 16) >= 0;
    }

    /** Decodes RFC 2047 encoded words; whitespace between two adjacent encoded words is dropped. */
    static String decodeWords(String value) {
      String joined = BETWEEN_WORDS.matcher(value).replaceAll("$1$2");
      Matcher m = ENCODED_WORD.matcher(joined);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        Charset charset = Charset.forName(m.group(1).split("\\*", 2)[0]);
        byte[] bytes =
            m.group(2).equalsIgnoreCase("B")
                ? Base64.getDecoder().decode(m.group(3))
                : decodeQuotedPrintable(m.group(3), true);
        m.appendReplacement(out, Matcher.quoteReplacement(new String(bytes, charset)));
      }
      m.appendTail(out);
      return out.toString();
    }
  }
}
