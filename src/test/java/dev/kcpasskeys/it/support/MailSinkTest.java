package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IT mail sink speaks SMTP and decodes what Keycloak's mail sender produces. */
class MailSinkTest {

  private static final String MULTIPART =
      String.join(
          "\r\n",
          "From: Passkeys IT <noreply@example.test>",
          "To: anna@example.test",
          "Subject: =?UTF-8?Q?Neuer_Passkey_f=C3=BCr?=",
          " =?UTF-8?B?IEFubmEg4pyU?=",
          "MIME-Version: 1.0",
          "Content-Type: multipart/mixed; ",
          "\tboundary=\"outer\"",
          "",
          "--outer",
          "Content-Type: multipart/alternative; boundary=inner",
          "",
          "--inner",
          "Content-Type: text/plain; charset=UTF-8",
          "Content-Transfer-Encoding: quoted-printable",
          "",
          "Gr=C3=BC=C3=9Fe, a long line that is =",
          "softly broken",
          "--inner",
          "Content-Type: text/html; charset=UTF-8",
          "Content-Transfer-Encoding: base64",
          "",
          "PHA+Jmx0O2ltZyZndDsgw6k8L3A+",
          "--inner--",
          "--outer--",
          "");

  @Test
  void receivesAndDecodesAMultipartMessage() throws IOException {
    try (MailSink sink = MailSink.start()) {
      List<String> replies = send(sink, "anna@example.test", MULTIPART);

      MailSink.Message message = sink.awaitMessageTo("Anna@Example.test", Duration.ofSeconds(5));
      assertEquals("noreply@example.test", message.envelopeFrom());
      assertEquals("Neuer Passkey für Anna ✔", message.subject());
      assertEquals("Grüße, a long line that is softly broken", message.text());
      assertEquals("<p>&lt;img&gt; é</p>", message.html());
      assertTrue(
          replies.stream().allMatch(r -> r.startsWith("2") || r.startsWith("3")),
          replies.toString());
    }
  }

  @Test
  void undoesDotStuffingAndReadsASinglePartBody() throws IOException {
    try (MailSink sink = MailSink.start()) {
      send(
          sink,
          "b@example.test",
          "Subject: plain\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n.dot\r\nend\r\n");
      MailSink.Message message = sink.awaitMessageTo("b@example.test", Duration.ofSeconds(5));
      assertEquals("plain", message.subject());
      assertEquals(".dot\nend", message.text());
    }
  }

  @Test
  void rejectingSinkRefusesTheTransactionAndStoresNothing() throws IOException {
    try (MailSink sink = MailSink.start()) {
      sink.rejectMail(true);
      List<String> replies = send(sink, "c@example.test", "Subject: x\r\n\r\nbody\r\n");
      assertTrue(replies.stream().anyMatch(r -> r.startsWith("554")), replies.toString());
      assertEquals(List.of(), sink.messagesToAfter("c@example.test", Duration.ofMillis(200)));
    }
  }

  /**
   * A minimal SMTP client: the dialogue Keycloak's sender has, with dot-stuffing; returns each
   * reply's first line.
   */
  private static List<String> send(MailSink sink, String to, String data) throws IOException {
    List<String> replies = new ArrayList<>();
    try (Socket socket = new Socket(sink.host(), sink.port())) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      replies.add(readReply(in));
      for (String command :
          List.of(
              "EHLO test",
              "NOOP",
              "RSET",
              "MAIL FROM:<noreply@example.test>",
              "RCPT TO:<" + to + ">",
              "DATA")) {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = readReply(in);
        replies.add(reply);
        if (reply.startsWith("5")) {
          break;
        }
      }
      if (replies.get(replies.size() - 1).startsWith("354")) {
        StringBuilder stuffed = new StringBuilder();
        for (String line : data.split("\r\n", -1)) {
          stuffed.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        out.write(
            (stuffed.toString().replaceAll("\r\n\r\n$", "\r\n") + ".\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        replies.add(readReply(in));
      }
      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      replies.add(readReply(in));
    }
    return replies;
  }

  private static String readReply(BufferedReader in) throws IOException {
    String first = in.readLine();
    String line = first;
    while (line != null && line.length() > 3 && line.charAt(3) == '-') {
      line = in.readLine();
    }
    return first;
  }
}
