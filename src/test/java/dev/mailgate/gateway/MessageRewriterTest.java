package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes that leave the gateway: fields added, renamed or removed whole; everything else unchanged. */
class MessageRewriterTest {
  private static final String AR = "Authentication-Results: mx.example.net;\r\n\tspf=pass smtp.mailfrom=sender.example";
  private static final MessageRewriter.Additions PLAIN =
      new MessageRewriter.Additions("mx.example.net", AR, null, "", "gw-1");
  private static final MessageRewriter.ForwardRewrite FWD = new MessageRewriter.ForwardRewrite(
      "forwarder@example.net", "{name} via {domain}", true, List.of("bob@example.net"));

  private static final String HEADER = "Return-Path: <alice@sender.example>\r\n"
      + "Received: from a (a [192.0.2.1])\r\n by inbound-smtp.us-east-1.amazonaws.com with SMTP id x;\r\n Sat, 1 Jan 2026 00:00:00 +0000\r\n"
      + "Authentication-Results: amazonses.com; spf=pass\r\n"
      + "Authentication-Results: MX.Example.NET; dmarc=pass (forged by the sender)\r\n"
      + "DKIM-Signature: v=1; a=rsa-sha256; d=sender.example; s=s1;\r\n\th=from:to; bh=abc=; b=def=\r\n"
      + "DKIM-Signature: v=1; a=rsa-sha256; d=esp.example; s=s2; h=from; bh=abc=; b=ghi=\r\n"
      + "Delivered-To: bob@example.net\r\n"
      + "X-SES-CONFIGURATION-SET: attacker-set\r\n"
      + "Sender: list@sender.example\r\n"
      + "From: =?UTF-8?Q?J=C3=B6rg?= <jorg@sender.example>\r\n"
      + "To: Bob <bob@example.net>\r\n"
      + "Subject: Hello\r\n"
      + "Subject: Hello again\r\n"
      + "Message-ID: <1@sender.example>\r\n"
      + "X-Folded: a\r\n  b\r\n";
  private static final String BODY = "Body line 1\r\n.\r\nBody with \u00e9 bytes\r\n";

  private static RawMessage message(String header) {
    return RawMessage.parse((header + "\r\n" + BODY).getBytes(StandardCharsets.UTF_8));
  }

  private static List<HeaderField> fields(byte[] out) {
    return RawMessage.parse(out).headers();
  }

  @Test
  void aRelayedMessageIsTheOriginalBytesUnderOurFields() {
    RawMessage in = message("From: a@sender.example\r\nSubject: x\r\n");
    byte[] out = MessageRewriter.forRelay(in, PLAIN);
    String prefix = "X-Mailgate-Loop: gw-1\r\n" + AR + "\r\n";
    assertThat(new String(out, 0, prefix.length(), StandardCharsets.ISO_8859_1)).isEqualTo(prefix);
    assertThat(Arrays.copyOfRange(out, prefix.length(), out.length)).isEqualTo(in.bytes());
  }

  @Test
  void rfc8601Section5ArrivingResultsClaimingOurAuthservIdAreObscured() {
    byte[] out = MessageRewriter.forRelay(message(HEADER), PLAIN);
    List<HeaderField> f = fields(out);
    assertThat(f).filteredOn(h -> h.is("Authentication-Results")).extracting(HeaderField::text)
        .containsExactly("mx.example.net;\tspf=pass smtp.mailfrom=sender.example", "amazonses.com; spf=pass");
    assertThat(f).filteredOn(h -> h.is(MessageRewriter.UNTRUSTED_AR)).extracting(HeaderField::text)
        .containsExactly("MX.Example.NET; dmarc=pass (forged by the sender)");
  }

  @Test
  void anUnparseableResultsFieldIsJudgedByItsFirstToken() {
    assertThat(MessageRewriter.isOurAuthResults(HeaderField.of("Authentication-Results: mx.example.net; ((("),
        "mx.example.net")).isTrue();
    assertThat(MessageRewriter.isOurAuthResults(HeaderField.of("Authentication-Results: other.example; spf=pass"),
        "mx.example.net")).isFalse();
  }

  @Test
  void aTaggedMessageGetsTheVerdictFieldAndTheSubjectPrefixOnce() {
    MessageRewriter.Additions tag = new MessageRewriter.Additions("mx.example.net", AR,
        "X-Mailgate-Verdict: tag; rule=spam", "[SPAM] ", "gw-1");
    byte[] once = MessageRewriter.forRelay(message("From: a@sender.example\r\nSubject: Offer\r\n"), tag);
    assertThat(RawMessage.parse(once).header("Subject").orElseThrow().text()).isEqualTo("[SPAM] Offer");
    assertThat(RawMessage.parse(once).header("X-Mailgate-Verdict").orElseThrow().text()).isEqualTo("tag; rule=spam");
    byte[] twice = MessageRewriter.forRelay(RawMessage.parse(once), tag);
    assertThat(RawMessage.parse(twice).header("Subject").orElseThrow().text()).isEqualTo("[SPAM] Offer");
  }

  @Test
  void aNonAsciiSubjectPrefixIsEncodedAndAMissingSubjectIsAdded() {
    MessageRewriter.Additions tag = new MessageRewriter.Additions("mx.example.net", AR, null, "[Späm] ", "gw-1");
    RawMessage r = RawMessage.parse(MessageRewriter.forRelay(message("From: a@sender.example\r\nSubject: Hi\r\n"), tag));
    assertThat(EncodedWords.decode(r.header("Subject").orElseThrow().unfoldedValue())).isEqualTo("[Späm] Hi");
    RawMessage none = RawMessage.parse(MessageRewriter.forRelay(message("From: a@sender.example\r\n"),
        new MessageRewriter.Additions("mx.example.net", AR, null, "[SPAM] ", "gw-1")));
    assertThat(none.header("Subject").orElseThrow().text()).isEqualTo("[SPAM]");
  }

  @Test
  void aForwardComesFromOurIdentityInTheAuthorsName() {
    RawMessage out = RawMessage.parse(MessageRewriter.forForward(message(HEADER), PLAIN, FWD));
    HeaderField from = out.header("From").orElseThrow();
    assertThat(from.unfoldedValue()).endsWith("<forwarder@example.net>");
    String name = from.unfoldedValue().substring(0, from.unfoldedValue().lastIndexOf('<')).strip();
    assertThat(name).startsWith("=?UTF-8?B?"); // RFC 2047: Jörg is not ASCII
    assertThat(EncodedWords.decode(name)).isEqualTo("Jörg via example.net");
    assertThat(out.headers("From")).hasSize(1);
  }

  @Test
  void aForwardKeepsTheAuthorReachable() {
    RawMessage out = RawMessage.parse(MessageRewriter.forForward(message(HEADER), PLAIN, FWD));
    assertThat(out.header("Reply-To").orElseThrow().text()).isEqualTo("=?UTF-8?Q?J=C3=B6rg?= <jorg@sender.example>");
    assertThat(out.header("X-Original-From").orElseThrow().text()).isEqualTo("=?UTF-8?Q?J=C3=B6rg?= <jorg@sender.example>");
    assertThat(out.header("X-Original-To").orElseThrow().text()).isEqualTo("bob@example.net");
    RawMessage withReplyTo = RawMessage.parse(MessageRewriter.forForward(
        message("From: a@sender.example\r\nReply-To: list@sender.example\r\n"), PLAIN, FWD));
    assertThat(withReplyTo.headers("Reply-To")).extracting(HeaderField::text).containsExactly("list@sender.example");
  }

  @Test
  void aForwardDropsOrRenamesWhatSesRefusesOrReplaces() {
    RawMessage out = RawMessage.parse(MessageRewriter.forForward(message(HEADER), PLAIN, FWD));
    assertThat(out.headers("Return-Path")).isEmpty();
    assertThat(out.headers("Delivered-To")).isEmpty();
    assertThat(out.headers("DKIM-Signature")).isEmpty();
    assertThat(out.headers("X-SES-CONFIGURATION-SET")).isEmpty();
    assertThat(out.headers("Sender")).isEmpty();
    assertThat(out.header("X-Original-Sender").orElseThrow().text()).isEqualTo("list@sender.example");
    assertThat(out.headers("Message-ID")).isEmpty();
    assertThat(out.header("X-Original-Message-ID").orElseThrow().text()).isEqualTo("<1@sender.example>");
    // SES takes Subject once: the first stays.
    assertThat(out.headers("Subject")).extracting(HeaderField::text).containsExactly("Hello");
    // Other fields keep their folding, and SES's own results are kept.
    assertThat(out.header("X-Folded").orElseThrow().raw()).isEqualTo("X-Folded: a\r\n  b");
    assertThat(out.headers("Authentication-Results")).extracting(HeaderField::text)
        .contains("amazonses.com; spf=pass");
  }

  @Test
  void theBodyIsCopiedByteForByte() {
    RawMessage in = message(HEADER);
    RawMessage out = RawMessage.parse(MessageRewriter.forForward(in, PLAIN, FWD));
    assertThat(Arrays.copyOfRange(out.bytes(), out.bodyOffset(), out.bytes().length))
        .isEqualTo(Arrays.copyOfRange(in.bytes(), in.bodyOffset(), in.bytes().length));
  }

  @Test
  void anAuthorWithoutDisplayNameIsNamedByAddress() {
    RawMessage out = RawMessage.parse(MessageRewriter.forForward(message("From: alice@sender.example\r\n"), PLAIN, FWD));
    assertThat(out.header("From").orElseThrow().text())
        .isEqualTo("\"alice@sender.example via example.net\" <forwarder@example.net>");
  }

  @Test
  void aMessageWithoutFromStillGetsOne() {
    RawMessage out = RawMessage.parse(MessageRewriter.forForward(message("Subject: x\r\n"), PLAIN, FWD));
    assertThat(out.header("From").orElseThrow().text()).isEqualTo("\"unknown sender via example.net\" <forwarder@example.net>");
  }

  @Test
  void controlCharactersInADisplayNameDoNotBreakTheField() {
    assertThat(MessageRewriter.displayName("Evil\r\nBcc: x@y", "e@v.example", FWD)).isEqualTo("Evil  Bcc: x@y via example.net");
  }

  @Test
  void manyOriginalRecipientsAreFolded() {
    String field = MessageRewriter.fold("X-Original-To: ", List.of("aaaaaaaaaaaaaaaaaaaa@example.net",
        "bbbbbbbbbbbbbbbbbbbbbbbb@example.net", "cccccccccccccccccccccccccc@example.net"));
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
    }
    assertThat(field.replace("\r\n", "")).isEqualTo("X-Original-To: aaaaaaaaaaaaaaaaaaaa@example.net, "
        + "bbbbbbbbbbbbbbbbbbbbbbbb@example.net, cccccccccccccccccccccccccc@example.net");
  }
}
