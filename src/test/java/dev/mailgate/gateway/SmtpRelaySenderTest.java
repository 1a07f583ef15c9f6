package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailgate.policy.PolicyConfig;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Relaying to an SMTP server (GreenMail in-process): the bytes as given, the envelope as given. */
class SmtpRelaySenderTest {
  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("relay@gw.example", "gw-user", "s3cret"))
      .withPerMethodLifecycle(true);

  private static final byte[] RAW = ("X-Mailgate-Loop: gw\r\n"
      + "From: =?utf-8?q?J=C3=B6rg?= <jorg@sender.example>\r\n"
      + "To: carol@mailgate.example\r\n"
      + "Subject: Hello\r\n"
      + "X-Folded: one\r\n\ttwo\r\n"
      + "\r\n"
      + "line 1\r\n"
      + ".line starting with a dot\r\n"
      + "\u00e9 8-bit\r\n").getBytes(StandardCharsets.UTF_8);

  private PolicyConfig.Relay relay(PolicyConfig.StartTls tls, String user, int port) {
    return new PolicyConfig.Relay("127.0.0.1", port, tls, user, null, 10, "gw.test");
  }

  private MailSender.Relay mail(PolicyConfig.Relay relay, String password, String from, List<String> rcpt) {
    return new MailSender.Relay("m1", "internal", relay, password, from, rcpt, RAW);
  }

  private int port() {
    return SMTP.getSmtp().getPort();
  }

  private static byte[] whole(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void theMessageArrivesWithTheGivenEnvelope() throws Exception {
    new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, null, port()), null, "promo@sender.example",
        List.of("carol@mailgate.example", "dave@mailgate.example")), Instant.now().plusSeconds(20));
    MimeMessage[] got = SMTP.getReceivedMessages();
    assertThat(got).hasSize(2); // one per RCPT TO
    String whole = new String(whole(got[0]), StandardCharsets.UTF_8);
    // GreenMail puts its Return-Path (our MAIL FROM) and Received on top; the rest is ours, unchanged (GreenMail
    // keeps no line ending after the last line: the exact bytes are checked against the scripted server below).
    assertThat(whole).startsWith("Return-Path: <promo@sender.example>\r\n");
    assertThat(whole).endsWith(new String(RAW, StandardCharsets.UTF_8).stripTrailing());
    assertThat(SMTP.getUserManager().getUserByEmail("carol@mailgate.example")).isNotNull();
    assertThat(SMTP.getUserManager().getUserByEmail("dave@mailgate.example")).isNotNull();
    // The To: field names carol only; dave came from the envelope alone.
    assertThat(GreenMailUtil.getHeaders(got[0])).contains("To: carol@mailgate.example");
  }

  @Test
  void theExactBytesAreSentDotStuffedAndTheNullSenderAsTheNullReversePath() throws Exception {
    try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
      String reply = new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.OPTIONAL, null, server.port()), null,
          "", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20));
      assertThat(reply).contains("queued as Q1");
      assertThat(server.commands).contains("MAIL FROM:<>", "RCPT TO:<carol@mailgate.example>", "DATA");
      assertThat(server.messages).hasSize(1);
      assertThat(server.messages.get(0)).isEqualTo(RAW);
    }
  }

  @Test
  void aTemporaryRefusalIsTransientAndAPermanentOneIsPermanent() throws Exception {
    try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
      server.script.put("RCPT", "451 4.3.0 try again later");
      assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, null, server.port()),
          null, "a@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20)))
          .isInstanceOfSatisfying(SendException.class, e -> assertThat(e.kind()).isEqualTo(SendException.Kind.TRANSIENT));
      server.script.put("RCPT", "550 5.1.1 no such user");
      assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, null, server.port()),
          null, "a@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20)))
          .isInstanceOfSatisfying(SendException.class, e -> assertThat(e.kind()).isEqualTo(SendException.Kind.PERMANENT));
      server.script.remove("RCPT");
      server.script.put("DATA-END", "452 4.3.1 out of space");
      assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, null, server.port()),
          null, "a@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20)))
          .isInstanceOfSatisfying(SendException.class, e -> assertThat(e.kind()).isEqualTo(SendException.Kind.TRANSIENT));
    }
  }

  @Test
  void smtpAuthWithTheRightPasswordRelays() throws Exception {
    new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, "gw-user", port()), "s3cret",
        "promo@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20));
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aWrongPasswordIsAPermanentFailure() {
    assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, "gw-user", port()),
        "wrong", "promo@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20)))
        .isInstanceOfSatisfying(SendException.class, e -> assertThat(e.kind()).isEqualTo(SendException.Kind.PERMANENT));
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void requiredStartTlsAgainstAServerWithoutItFailsWithoutSendingInClear() {
    assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.REQUIRED, null, port()),
        null, "promo@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20)))
        .isInstanceOfSatisfying(SendException.class, e -> {
          assertThat(e.kind()).isEqualTo(SendException.Kind.TRANSIENT);
          assertThat(e.getMessage()).containsIgnoringCase("STARTTLS");
        });
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void aServerThatIsNotThereIsATransientFailure() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, null, closed), null,
        "promo@sender.example", List.of("carol@mailgate.example")), Instant.now().plusSeconds(20)))
        .isInstanceOfSatisfying(SendException.class, e -> assertThat(e.kind()).isEqualTo(SendException.Kind.TRANSIENT));
  }

  @Test
  void aPassedDeadlineSendsNothing() {
    assertThatThrownBy(() -> new SmtpRelaySender().relay(mail(relay(PolicyConfig.StartTls.NONE, null, port()), null,
        "promo@sender.example", List.of("carol@mailgate.example")), Instant.now().minusSeconds(1)))
        .isInstanceOfSatisfying(SendException.class, e -> assertThat(e.kind()).isEqualTo(SendException.Kind.TRANSIENT));
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }
}
