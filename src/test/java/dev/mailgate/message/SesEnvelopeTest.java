package dev.mailgate.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dns.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SesEnvelopeTest {

  private static final String RECEIVED =
      "Received: from mail.sender.example (mail.sender.example [192.0.2.1])\r\n"
          + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id 4rk9jdlsm4p3rfi2s1tv80cb0hg1olu9ts6lvng1\r\n"
          + " for user@example.org;\r\n"
          + " Mon, 02 Oct 2023 10:11:12 +0000 (UTC)";

  private static final String SPF_PROPS =
      "client-ip=192.0.2.1; envelope-from=sender@sender.example; helo=mail.sender.example;";

  private static final String AUTH_RES =
      "Authentication-Results: amazonses.com;\r\n spf=pass (spfCheck: domain of sender.example designates"
          + " 192.0.2.1 as permitted sender) " + SPF_PROPS + "\r\n dkim=pass header.i=@sender.example;\r\n"
          + " dmarc=pass header.from=sender.example;";

  private static final String RECEIVED_SPF =
      "Received-SPF: pass (spfCheck: domain of sender.example designates 192.0.2.1 as permitted sender) "
          + SPF_PROPS;

  private static RawMessage message(String... headers) {
    return RawMessage.parse((String.join("\r\n", headers) + "\r\n\r\nbody\r\n").getBytes(UTF_8));
  }

  private static RawMessage resource(String name) throws IOException {
    try (InputStream in = SesEnvelopeTest.class.getResourceAsStream("/message/" + name)) {
      assertThat(in).as(name).isNotNull();
      return RawMessage.parse(in.readAllBytes());
    }
  }

  private static SesEnvelope read(RawMessage m) {
    SesEnvelope e = SesEnvelope.read(m);
    assertThat(Envelope.fromSesHeaders(m)).isEqualTo(e.envelope());
    return e;
  }

  private static Envelope env(String ip, String helo, String mailFrom, String... rcpt) {
    return new Envelope(ip == null ? null : InetAddresses.parse(ip), helo, mailFrom, List.of(rcpt));
  }

  // ---- the sample messages ----

  @Test
  void sesIpv4() throws IOException {
    SesEnvelope e = read(resource("ses-ipv4.eml"));
    assertThat(e.envelope()).isEqualTo(
        env("209.85.221.54", "mail-wr1-f54.google.com", "alice@example.com", "user@example.org"));
    assertThat(e.notes()).containsExactly(
        "clientIp: from Authentication-Results, confirmed by Received-SPF, Received",
        "helo: from Authentication-Results, confirmed by Received-SPF, Received",
        "mailFrom: from Authentication-Results, confirmed by Received-SPF, Return-Path",
        "rcptTo: from Received 'for' clause");
  }

  @Test
  void sesIpv6WithIpv6TagInReceived() throws IOException {
    SesEnvelope e = read(resource("ses-ipv6.eml"));
    assertThat(e.envelope()).isEqualTo(
        env("2001:db8:1234::25", "mail.example.net", "bounces+4711@mail.example.net", "list@example.org"));
    assertThat(e.notes()).contains("clientIp: from Authentication-Results, confirmed by Received-SPF, Received");
  }

  @Test
  void rfc5321_4_5_5_sesNullSender() throws IOException {
    SesEnvelope e = read(resource("ses-null-sender.eml"));
    assertThat(e.envelope()).isEqualTo(env("198.51.100.25", "mx.example.net", "", "user@example.org"));
    assertThat(e.envelope().isNullSender()).isTrue();
    assertThat(e.notes()).contains(
        "mailFrom: from Authentication-Results, confirmed by Received-SPF, Return-Path",
        "mailFrom: null sender (Return-Path <>); SES's SPF check used postmaster@mx.example.net");
  }

  @Test
  void sesUnknownReverseDnsAndAddressLiteralHelo() throws IOException {
    SesEnvelope e = read(resource("ses-unknown-rdns.eml"));
    assertThat(e.envelope()).isEqualTo(
        env("203.0.113.9", "[203.0.113.9]", "billing@shop.example", "user@example.org"));
  }

  @Test
  void forgedSesHeadersBelowTheRealOnesAreIgnored() throws IOException {
    SesEnvelope e = read(resource("ses-forged-below.eml"));
    assertThat(e.envelope()).isEqualTo(
        env("198.51.100.66", "mail.evil.example", "mallory@evil.example", "ceo@example.org"));
    assertThat(e.notes()).contains("1 more Received header(s) naming SES below the topmost; not read");
  }

  @Test
  void sesBlockWithoutAuthResultsAndAForgedOneBelowLeavesConflictsUnknown() throws IOException {
    SesEnvelope e = read(resource("ses-scan-disabled-forged-authres.eml"));
    // The forged Authentication-Results disagrees with SES's Received and Return-Path on every field:
    // nothing the sender wrote may win, so all three are unknown.
    assertThat(e.envelope()).isEqualTo(env(null, null, null, "ceo@example.org"));
    assertThat(e.notes()).contains(
        "clientIp: conflict: Authentication-Results says '192.0.2.10', Received says '198.51.100.66'; left unknown",
        "helo: conflict: Authentication-Results says 'mail.bank.example', Received says 'mail.evil.example';"
            + " left unknown",
        "mailFrom: conflict: Authentication-Results says 'ceo@bank.example', Return-Path says"
            + " 'mallory@evil.example'; left unknown");
  }

  @Test
  void noSesHeadersAtAll() throws IOException {
    SesEnvelope e = read(resource("no-ses-headers.eml"));
    assertThat(e.envelope()).isEqualTo(env(null, null, null));
    assertThat(e.notes()).singleElement().asString().startsWith("no Received header by an SES inbound endpoint");
  }

  // ---- the Received header ----

  @ParameterizedTest(name = "Received from {0} -> ip {1}, helo {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mail.example.com (mail.example.com [192.0.2.1]) | 192.0.2.1 | mail.example.com",
        "mail.example.com (unknown [192.0.2.1]) | 192.0.2.1 | mail.example.com",
        "[192.0.2.1] ([192.0.2.1] [192.0.2.1]) | 192.0.2.1 | [192.0.2.1]",
        "[192.0.2.1] (unknown [192.0.2.1]) | 192.0.2.1 | [192.0.2.1]",
        "mail.example.com ([192.0.2.1]) | 192.0.2.1 | mail.example.com",
        "v6.example.com (v6.example.com [IPv6:2001:db8::1]) | 2001:db8::1 | v6.example.com",
        "v6.example.com (v6.example.com [2001:db8::1]) | 2001:db8::1 | v6.example.com",
        "[IPv6:2001:db8::1] (unknown [IPv6:2001:db8::1]) | 2001:db8::1 | [IPv6:2001:db8::1]",
      })
  void receivedForms(String from, String ip, String helo) {
    RawMessage m = message("Received: from " + from
        + " by inbound-smtp.eu-west-1.amazonaws.com with SMTP id abc123 for <u@example.org>;"
        + " Mon, 02 Oct 2023 10:11:12 +0000 (UTC)");
    assertThat(read(m).envelope()).isEqualTo(env(ip, helo, null, "u@example.org"));
  }

  @ParameterizedTest(name = "SES endpoint {0}")
  @ValueSource(strings = {"inbound-smtp.us-east-1.amazonaws.com", "INBOUND-SMTP.EU-WEST-1.AMAZONAWS.COM",
      "inbound-smtp.ap-northeast-1.amazonaws.com", "inbound-smtp.us-east-1.amazonses.com"})
  void sesInboundEndpoints(String host) {
    RawMessage m = message("Received: from h.example (h.example [192.0.2.1]) by " + host
        + " with SMTP id x; Mon, 02 Oct 2023 10:11:12 +0000");
    assertThat(read(m).envelope()).isEqualTo(env("192.0.2.1", "h.example", null));
  }

  @ParameterizedTest(name = "not SES: by {0}")
  @ValueSource(strings = {"mx.example.org", "inbound-smtp.us-east-1.amazonaws.com.evil.example",
      "inbound-smtp.us-east-1.amazonaws.community", "xinbound-smtp.us-east-1.amazonaws.com",
      "inbound-smtp.amazonaws.com", "smtp.us-east-1.amazonaws.com"})
  void otherByHostsAreNotSes(String host) {
    RawMessage m = message("Received: from h.example (h.example [192.0.2.1]) by " + host
        + " with SMTP id x; Mon, 02 Oct 2023 10:11:12 +0000", "Return-Path: <a@b.example>");
    assertThat(read(m).envelope()).isEqualTo(env(null, null, null));
  }

  @Test
  void receivedWithoutForClauseHasNoRecipient() {
    RawMessage m = message("Received: from h.example (h.example [192.0.2.1]) by"
        + " inbound-smtp.us-east-1.amazonaws.com with SMTP id x; Mon, 02 Oct 2023 10:11:12 +0000");
    SesEnvelope e = read(m);
    assertThat(e.envelope().rcptTo()).isEmpty();
    assertThat(e.notes()).contains("rcptTo: none (no 'for' clause in SES's Received)");
  }

  @Test
  void quotedRecipientLocalPart() {
    RawMessage m = message("Received: from h.example (h.example [192.0.2.1]) by"
        + " inbound-smtp.us-east-1.amazonaws.com with SMTP id x for \"john doe\"@example.org;"
        + " Mon, 02 Oct 2023 10:11:12 +0000");
    assertThat(read(m).envelope().rcptTo()).containsExactly("\"john doe\"@example.org");
  }

  @ParameterizedTest(name = "malformed Received: {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "from smtp.example.com [192.0.2.1]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id x for u@example.org;"
            + " Mon, 02 Oct 2023 | SES's Received is not in the form SES writes; not read",
        "from h (h 192.0.2.1) by inbound-smtp.us-east-1.amazonaws.com with SMTP id x; Mon | SES's Received is not"
            + " in the form SES writes; not read",
        "from h (h [192.0.2.1]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id x for u@example.org | SES's"
            + " Received is not in the form SES writes; not read",
        "by inbound-smtp.us-east-1.amazonaws.com | SES's Received is not in the form SES writes; not read",
        "from h (h [999.1.1.1]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id x; Mon | Received: [999.1.1.1]"
            + " is not an IP address",
        "from h (h [mail.example.com]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id x; Mon | Received:"
            + " [mail.example.com] is not an IP address",
      })
  void malformedReceivedGivesNoValueAndANote(String value, String note) {
    SesEnvelope e = read(message("Received: " + value));
    assertThat(e.envelope().clientIp()).isNull();
    assertThat(e.envelope().rcptTo()).isEmpty();
    assertThat(e.notes()).contains(note);
  }

  @Test
  void recipientThatIsNoAddressIsDroppedButTheRestIsRead() {
    SesEnvelope e = read(message("Received: from h (h [192.0.2.1]) by inbound-smtp.us-east-1.amazonaws.com"
        + " with SMTP id x for not-an-address; Mon"));
    assertThat(e.envelope()).isEqualTo(env("192.0.2.1", "h", null));
    assertThat(e.notes()).contains("Received: 'for not-an-address' is not an address; not read");
  }

  @Test
  void heloWithSpacesCannotPlantAFakeReceivedClause() {
    // A HELO argument chosen to look like the start of SES's own clause, followed by the real one.
    String fakeHelo = "x (y [6.6.6.6]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id a for b@example.org; Mon";
    SesEnvelope e = read(message("Received: from " + fakeHelo + " (rdns.example [192.0.2.1])"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id real for u@example.org; Mon, 02 Oct 2023"));
    assertThat(e.envelope()).isEqualTo(env(null, null, null));
    assertThat(e.notes()).contains(
        "SES's Received names an SES host 2 times (sender-chosen text?); not read");
  }

  @Test
  void heloWithSpacesButNoSesHostDoesNotMatchTheForm() {
    SesEnvelope e = read(message("Received: from x (y [6.6.6.6]) z (rdns.example [192.0.2.1])"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id real for u@example.org; Mon, 02 Oct 2023"));
    assertThat(e.envelope().clientIp()).isNull();
    assertThat(e.notes()).contains("SES's Received is not in the form SES writes; not read");
  }

  @Test
  void hugeReceivedIsNotParsed() {
    String huge = "from h (h [192.0.2.1]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id "
        + "x".repeat(1_000_000) + "; Mon";
    SesEnvelope e = read(message("Received: " + huge));
    assertThat(e.envelope()).isEqualTo(env(null, null, null));
    assertThat(e.notes()).anyMatch(n -> n.startsWith("SES's Received is 1000")).anyMatch(n -> n.endsWith("long; not read"));
  }

  @Test
  void severalSesReceivedTakeTheTopmost() {
    SesEnvelope e = read(message(
        "Received: from top.example (top.example [192.0.2.1]) by inbound-smtp.us-east-1.amazonaws.com"
            + " with SMTP id a for u@example.org; Mon",
        "Received: from mid.example (mid.example [192.0.2.2]) by inbound-smtp.us-east-1.amazonaws.com"
            + " with SMTP id b for u@example.org; Mon",
        "Received: from low.example (low.example [192.0.2.3]) by inbound-smtp.eu-west-1.amazonaws.com"
            + " with SMTP id c for u@example.org; Mon"));
    assertThat(e.envelope()).isEqualTo(env("192.0.2.1", "top.example", null, "u@example.org"));
    assertThat(e.notes()).contains("2 more Received header(s) naming SES below the topmost; not read");
  }

  @Test
  void receivedAboveSesIsNotedAndIgnored() {
    SesEnvelope e = read(message(
        "Received: from relay.example (relay.example [203.0.113.5]) by mx.example.org with ESMTP; Mon",
        RECEIVED));
    assertThat(e.envelope()).isEqualTo(env("192.0.2.1", "mail.sender.example", null, "user@example.org"));
    assertThat(e.notes()).contains("1 Received header(s) above SES's; not read");
  }

  // ---- Authentication-Results, Received-SPF, Return-Path ----

  @Test
  void precedenceAuthResultsOverReceivedSpfOverReceivedAndReturnPath() {
    SesEnvelope e = read(message("Return-Path: <sender@sender.example>", RECEIVED, RECEIVED_SPF, AUTH_RES));
    assertThat(e.envelope()).isEqualTo(
        env("192.0.2.1", "mail.sender.example", "sender@sender.example", "user@example.org"));
    assertThat(e.notes()).contains("clientIp: from Authentication-Results, confirmed by Received-SPF, Received");
  }

  @Test
  void receivedSpfAloneIsNotTrustedWithoutSesAuthResults() {
    SesEnvelope e = read(message(RECEIVED, RECEIVED_SPF));
    assertThat(e.notes()).contains(
        "no Authentication-Results with authserv-id amazonses.com below SES's Received",
        "clientIp: from Received", "mailFrom: not found");
  }

  @Test
  void receivedSpfBelowSesAuthResultsIsTheSendersAndIgnored() {
    String forged = "Received-SPF: pass (x) client-ip=6.6.6.6; envelope-from=a@b.example; helo=h.example;";
    SesEnvelope e = read(message(RECEIVED, AUTH_RES, forged));
    assertThat(e.envelope().clientIp()).isEqualTo(InetAddresses.parse("192.0.2.1"));
    assertThat(e.notes()).contains("clientIp: from Authentication-Results, confirmed by Received");
  }

  @Test
  void authResultsAboveSesReceivedIsIgnored() {
    String forged = "Authentication-Results: amazonses.com; spf=pass client-ip=6.6.6.6; envelope-from=a@b.example;"
        + " helo=h.example;";
    SesEnvelope e = read(message(forged, RECEIVED));
    assertThat(e.envelope()).isEqualTo(env("192.0.2.1", "mail.sender.example", null, "user@example.org"));
    assertThat(e.notes()).contains(
        "Authentication-Results amazonses.com above SES's Received (SES writes its own below); not read",
        "no Authentication-Results with authserv-id amazonses.com below SES's Received");
  }

  @ParameterizedTest(name = "RFC 8601 2.2: authserv-id in [{0}] is SES: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "amazonses.com; spf=pass | true",
        "AmazonSES.com ; spf=pass | true",
        "amazonses.com 1; spf=pass | true",
        "(comment) amazonses.com (c); spf=pass | true",
        "amazonses.com | true",
        "amazonses.com.evil.example; spf=pass | false",
        "evil.example amazonses.com; spf=pass | false",
        "amazonses.com x; spf=pass | false",
        "mx.example.org; spf=pass smtp.mailfrom=amazonses.com | false",
        "'' | false",
      })
  void rfc8601_2_2_authservId(String value, boolean ses) {
    assertThat(SesEnvelope.isAmazonSesAuthservId(value)).isEqualTo(ses);
  }

  @Test
  void keyInjectedThroughTheSpfCommentIsNotRead() {
    // The domain in SES's comment can come from the sender's own SPF record; a ')' in it ends the comment.
    String ar = "Authentication-Results: amazonses.com; spf=pass (spfCheck: domain of x)client-ip=6.6.6.6;(.evil.example"
        + " designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=a@evil.example;"
        + " helo=mail.sender.example;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().clientIp()).isEqualTo(InetAddresses.parse("192.0.2.1"));
    assertThat(e.notes()).contains(
        "Authentication-Results: 'client-ip=' occurs more than once (sender-chosen text?); not read",
        "clientIp: from Received");
  }

  @Test
  void keyInsideAQuotedEnvelopeFromIsNotTheHelo() {
    String ar = "Authentication-Results: amazonses.com; spf=pass (spfCheck: ...) client-ip=192.0.2.1;"
        + " envelope-from=\"x;helo=forged.example\"@evil.example; helo=mail.sender.example;";
    SesEnvelope e = read(message("Return-Path: <\"x;helo=forged.example\"@evil.example>", RECEIVED, ar));
    assertThat(e.envelope()).isEqualTo(
        env("192.0.2.1", "mail.sender.example", "\"x;helo=forged.example\"@evil.example", "user@example.org"));
    assertThat(e.notes()).contains(
        "Authentication-Results: 'helo=' occurs more than once (sender-chosen text?); not read",
        "helo: from Received");
  }

  @Test
  void keyOnlyInsideACommentIsNotRead() {
    String ar = "Authentication-Results: amazonses.com; spf=pass (client-ip=6.6.6.6) envelope-from=a@b.example;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().clientIp()).isEqualTo(InetAddresses.parse("192.0.2.1"));
    assertThat(e.notes()).contains(
        "Authentication-Results: 'client-ip=' only inside a comment, a quoted string or a word; not read");
  }

  @Test
  void conflictingClientIpIsLeftUnknown() {
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=192.0.2.99; helo=mail.sender.example;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().clientIp()).isNull();
    assertThat(e.envelope().helo()).isEqualTo("mail.sender.example");
    assertThat(e.notes()).contains(
        "clientIp: conflict: Authentication-Results says '192.0.2.99', Received says '192.0.2.1'; left unknown");
  }

  @Test
  void ipv6TextFormsCompareAsAddresses() {
    String rcv = "Received: from v6.example (v6.example [IPv6:2001:DB8:0:0::1]) by inbound-smtp.us-east-1.amazonaws.com"
        + " with SMTP id x; Mon";
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=2001:db8::1; helo=v6.example;";
    assertThat(read(message(rcv, ar)).envelope().clientIp()).isEqualTo(InetAddresses.parse("2001:db8::1"));
  }

  @Test
  void garbageClientIpInAuthResultsFallsBackToReceived() {
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=not.an.ip; helo=mail.sender.example;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().clientIp()).isEqualTo(InetAddresses.parse("192.0.2.1"));
    assertThat(e.notes()).contains("Authentication-Results: client-ip is not an IP address (not.an.ip)",
        "clientIp: from Received");
  }

  @Test
  void unusableHeloInAuthResultsFallsBackToReceived() {
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=192.0.2.1; helo=two words;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().helo()).isEqualTo("mail.sender.example");
    assertThat(e.notes()).contains("Authentication-Results: helo unusable (two words)");
  }

  @Test
  void rfc7208_2_4_emptyEnvelopeFromWithNullReturnPath() {
    String ar = "Authentication-Results: amazonses.com; spf=none client-ip=192.0.2.1; envelope-from=;"
        + " helo=mail.sender.example;";
    SesEnvelope e = read(message("Return-Path: <>", RECEIVED, ar));
    assertThat(e.envelope().mailFrom()).isEmpty();
    assertThat(e.envelope().isNullSender()).isTrue();
  }

  @Test
  void rfc7208_2_4_postmasterAtHeloWithoutReturnPathIsKeptAndNoted() {
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=192.0.2.1;"
        + " envelope-from=postmaster@mail.sender.example; helo=mail.sender.example;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().mailFrom()).isEqualTo("postmaster@mail.sender.example");
    assertThat(e.notes()).contains("mailFrom: postmaster@HELO without a Return-Path may stand for the null sender <>");
  }

  @Test
  void realPostmasterSenderIsNotTurnedIntoNullSender() {
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=192.0.2.1;"
        + " envelope-from=postmaster@mail.sender.example; helo=mail.sender.example;";
    SesEnvelope e = read(message("Return-Path: <postmaster@mail.sender.example>", RECEIVED, ar));
    assertThat(e.envelope().mailFrom()).isEqualTo("postmaster@mail.sender.example");
  }

  @Test
  void nullReturnPathAgainstADifferentEnvelopeFromIsAConflict() {
    String ar = "Authentication-Results: amazonses.com; spf=pass client-ip=192.0.2.1;"
        + " envelope-from=someone@else.example; helo=mail.sender.example;";
    SesEnvelope e = read(message("Return-Path: <>", RECEIVED, ar));
    assertThat(e.envelope().mailFrom()).isNull();
  }

  @ParameterizedTest(name = "RFC 5321 4.4: Return-Path [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "<sender@sender.example> | sender@sender.example",
        "sender@sender.example | sender@sender.example",
        "<@relay.example:sender@sender.example> | sender@sender.example",
        "<sender@sender.example> (comment) | sender@sender.example",
        "<> | ''",
        "<>(bounce) | ''",
      })
  void rfc5321_4_4_returnPath(String value, String mailFrom) {
    SesEnvelope e = read(message("Return-Path: " + value, RECEIVED));
    assertThat(e.envelope().mailFrom()).isEqualTo(mailFrom);
    assertThat(e.notes()).contains("mailFrom: from Return-Path");
  }

  @ParameterizedTest(name = "malformed Return-Path [{0}]")
  @ValueSource(strings = {"<sender@sender.example", "not an address", "<a@b.example> <c@d.example>", "@@@"})
  void malformedReturnPathIsNotRead(String value) {
    SesEnvelope e = read(message("Return-Path: " + value, RECEIVED));
    assertThat(e.envelope().mailFrom()).isNull();
    assertThat(e.notes()).anyMatch(n -> n.startsWith("Return-Path is not an address"));
  }

  @Test
  void returnPathBelowSesReceivedIsTheSenders() {
    SesEnvelope e = read(message(RECEIVED, "Return-Path: <ceo@bank.example>"));
    assertThat(e.envelope().mailFrom()).isNull();
    assertThat(e.notes()).contains("Return-Path below SES's Received was written by the sender; not read");
  }

  @Test
  void foldedAuthResultsAndReceivedSpf() {
    String ar = "Authentication-Results: amazonses.com;\r\n spf=pass\r\n (spfCheck: folded\r\n comment)"
        + " client-ip=\r\n 192.0.2.1;\r\n envelope-from=sender@sender.example;\r\n\thelo=mail.sender.example;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope()).isEqualTo(
        env("192.0.2.1", "mail.sender.example", "sender@sender.example", "user@example.org"));
  }

  @Test
  void hugeAuthResultsDoesNotBreakAnything() {
    String ar = "Authentication-Results: amazonses.com; spf=pass (" + "(".repeat(200_000) + " client-ip=192.0.2.1;";
    SesEnvelope e = read(message(RECEIVED, ar));
    assertThat(e.envelope().clientIp()).isEqualTo(InetAddresses.parse("192.0.2.1"));
  }

  @Test
  void randomHeaderValuesNeverThrow() {
    Random r = new Random(42);
    String[] pieces = {"from ", "by ", "inbound-smtp.us-east-1.amazonaws.com", " with SMTP id x", " for ", "<",
        ">", "(", ")", "[", "]", "192.0.2.1", "IPv6:", "::1", ";", "client-ip=", "envelope-from=", "helo=", "\"",
        "\\", "amazonses.com", " ", "\r\n ", "@", "a.example", "\u00fc", "\u0000"};
    String[] names = {"Received", "Authentication-Results", "Received-SPF", "Return-Path"};
    for (int round = 0; round < 2000; round++) {
      StringBuilder msg = new StringBuilder();
      int fields = 1 + r.nextInt(6);
      for (int f = 0; f < fields; f++) {
        msg.append(names[r.nextInt(names.length)]).append(": ");
        int n = r.nextInt(30);
        for (int i = 0; i < n; i++) {
          msg.append(pieces[r.nextInt(pieces.length)]);
        }
        msg.append("\r\n");
      }
      RawMessage m = RawMessage.parse((msg + "\r\n").getBytes(UTF_8));
      SesEnvelope e = SesEnvelope.read(m);
      assertThat(e.notes()).isNotEmpty();
    }
  }
}
