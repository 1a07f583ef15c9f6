package dev.mailgate.gateway;

import java.nio.charset.StandardCharsets;

/** Messages as SES stores them, built for tests. */
public final class TestMessages {
  private TestMessages() {}

  /**
   * A message with SES's trace block on top: Return-Path, SES's Received (client IP, HELO, one recipient),
   * the spam and virus verdicts, SES's Authentication-Results and X-SES-RECEIPT; then {@code header}
   * (the sender's fields, CRLF-separated, no final CRLF) and {@code body}.
   */
  public static byte[] ses(String mailFrom, String ip, String helo, String rcpt, String spam, String virus,
      String header, String body) {
    String s = "Return-Path: <" + mailFrom + ">\r\n"
        + "Received: from " + helo + " (" + helo + " [" + ip + "])\r\n"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id testid0001\r\n"
        + " for " + rcpt + ";\r\n"
        + " Sat, 28 Nov 2026 09:14:07 +0000 (UTC)\r\n"
        + "X-SES-Spam-Verdict: " + spam + "\r\n"
        + "X-SES-Virus-Verdict: " + virus + "\r\n"
        + "Authentication-Results: amazonses.com;\r\n"
        + " spf=pass client-ip=" + ip + "; envelope-from=" + mailFrom + "; helo=" + helo + ";\r\n"
        + " dmarc=none header.from=sender.example;\r\n"
        + "X-SES-RECEIPT: dGVzdA==\r\n"
        + header + "\r\n\r\n" + body;
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A plain message from alice@sender.example (SPF pass from 192.0.2.10 with the sample fixture). */
  public static byte[] fromAlice(String rcpt) {
    return ses("alice@sender.example", "192.0.2.10", "mail.sender.example", rcpt, "PASS", "PASS",
        "From: Alice <alice@sender.example>\r\nTo: " + rcpt + "\r\nSubject: Hello\r\n"
            + "Message-ID: <1@sender.example>\r\nDate: Sat, 28 Nov 2026 10:14:05 +0100",
        "Hello.\r\n");
  }
}
