package dev.mailgate.aws;

import dev.mailgate.arc.ArcSealer;
import dev.mailgate.arc.ArcValidator;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Signed sample messages and the DNS data that authenticates them, for {@link Priming}: what a busy
 * gateway sees most (an rsa-sha256 signature on a message with a base64 attachment, ed25519 next to it,
 * plain text, a mailing-list message with an ARC set), made up at priming time with fresh keys.
 */
final class PrimingCorpus {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** One message as SES stores it (SES's Return-Path and Received first). */
  record Sample(byte[] bytes) {}

  private final InMemoryResolver dns;
  private final List<Sample> samples;

  private PrimingCorpus(InMemoryResolver dns, List<Sample> samples) {
    this.dns = dns;
    this.samples = samples;
  }

  InMemoryResolver dns() {
    return dns;
  }

  Clock clock() {
    return CLOCK;
  }

  List<Sample> samples() {
    return samples;
  }

  static PrimingCorpus create() throws GeneralSecurityException {
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    KeyPair rsa = rsaGen.generateKeyPair();
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair arc = rsaGen.generateKeyPair();
    InMemoryResolver dns = InMemoryResolver.builder()
        .txt("sender.example", "v=spf1 include:_spf.sender.example -all")
        .txt("_spf.sender.example", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all")
        .txt("_dmarc.sender.example", "v=DMARC1; p=reject; rua=mailto:dmarc@sender.example")
        .txt("rsa._domainkey.sender.example", DkimKeys.keyRecord(rsa.getPublic()))
        .txt("ed._domainkey.sender.example", DkimKeys.keyRecord(ed.getPublic()))
        .txt("lists.example", "v=spf1 ip4:198.51.100.0/24 -all")
        .txt("_dmarc.lists.example", "v=DMARC1; p=none")
        .txt("arc._domainkey.lists.example", DkimKeys.keyRecord(arc.getPublic()))
        .logQueries(false)
        .build();
    DkimSigner rsaSigner = DkimSigner.builder("sender.example", "rsa", rsa.getPrivate()).clock(CLOCK).build();
    DkimSigner edSigner = DkimSigner.builder("sender.example", "ed", ed.getPrivate()).clock(CLOCK).build();
    ArcSealer sealer = ArcSealer.builder("lists.example", "arc", arc.getPrivate()).clock(CLOCK).build();
    ArcValidator offline = new ArcValidator(InMemoryResolver.builder().logQueries(false).build(), CLOCK);

    Random rnd = new Random(1);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean attachment = i % 2 == 0;
      byte[] signed = rsaSigner.signAndPrepend(RawMessage.parse(message(i, attachment, rnd)));
      if (i % 3 == 1) {
        signed = edSigner.signAndPrepend(RawMessage.parse(signed));
      }
      samples.add(new Sample(ses("sender.example", "192.0.2." + (10 + i), signed)));
    }
    // A list that tags the subject (the author's signature breaks) and seals with ARC.
    String text = new String(rsaSigner.signAndPrepend(RawMessage.parse(message(9, false, rnd))), StandardCharsets.ISO_8859_1)
        .replace("\r\nSubject: ", "\r\nSubject: [list] ");
    RawMessage listed = RawMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    byte[] sealed = sealer.seal(listed, offline.validate(listed), "lists.example",
        "spf=pass smtp.mailfrom=sender.example; dkim=pass header.d=sender.example").orElseThrow().prependTo(listed);
    samples.add(new Sample(ses("lists.example", "198.51.100.7", sealed)));
    return new PrimingCorpus(dns, List.copyOf(samples));
  }

  private static byte[] message(int i, boolean attachment, Random rnd) {
    StringBuilder sb = new StringBuilder(24_000);
    sb.append("From: Alice <alice@sender.example>\r\nTo: postmaster@gateway.example\r\n")
        .append("Subject: priming ").append(i).append("\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n")
        .append("Message-ID: <prime").append(i).append("@sender.example>\r\nMIME-Version: 1.0\r\n")
        .append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n")
        .append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
    for (int line = 0; line < 60; line++) {
      sb.append("Some words of text,  a double space and a trailing one \r\n");
      if (line % 10 == 9) {
        sb.append("\r\n\tindented line\t\r\n");
      }
    }
    if (attachment) {
      sb.append("--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n");
      byte[] raw = new byte[57];
      for (int line = 0; line < 250; line++) {
        rnd.nextBytes(raw);
        sb.append(Base64.getEncoder().encodeToString(raw)).append("\r\n");
      }
    }
    sb.append("--b--\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] ses(String mailFromDomain, String ip, byte[] message) {
    String head = "Return-Path: <bounce@" + mailFromDomain + ">\r\n"
        + "Received: from mail." + mailFromDomain + " (mail." + mailFromDomain + " [" + ip + "])\r\n"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id prime\r\n"
        + " for postmaster@gateway.example;\r\n Thu, 01 Jan 2026 00:00:01 +0000 (UTC)\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[h.length + message.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(message, 0, out, h.length, message.length);
    return out;
  }
}
