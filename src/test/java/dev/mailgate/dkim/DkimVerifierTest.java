package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimVerifierTest {
  private static final long NOW = 1_700_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final KeyPair RSA = TestKeys.rsa2048();
  private static final KeyPair ED = TestKeys.ed25519();
  private static final String KEY_NAME = "sel._domainkey.example.org";

  private static final String MESSAGE = "From: Alice <alice@example.org>\r\n"
      + "To: bob@example.net\r\n"
      + "Subject: hello  there\r\n"
      + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
      + "Message-ID: <1@example.org>\r\n"
      + "\r\n"
      + "Hello Bob,\r\n"
      + "\r\n"
      + "  this is a test.  \r\n"
      + "\r\n"
      + "\r\n";

  private static RawMessage msg(String text) {
    return RawMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String record(KeyPair kp) {
    return DkimKeys.keyRecord(kp.getPublic());
  }

  private static InMemoryResolver dns(String... records) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    for (String r : records) {
      b.txt(KEY_NAME, r);
    }
    return b.build();
  }

  private static List<DkimResult> verify(InMemoryResolver dns, String message) {
    return new DkimVerifier(dns, CLOCK).verify(msg(message));
  }

  private static DkimResult verifyOne(InMemoryResolver dns, String message) {
    List<DkimResult> r = verify(dns, message);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  private static DkimSigner.Builder signer(KeyPair kp) {
    return DkimSigner.builder("example.org", "sel", kp.getPrivate()).clock(CLOCK);
  }

  private static String signed(DkimSigner signer, String message) throws Exception {
    return signer.sign(msg(message)) + "\r\n" + message;
  }

  /**
   * A message with a hand-made signature: {@code tags} is the field value before bh= and b=; bh= is
   * computed (relaxed or simple body as c= says), and b= is the real signature by {@code key} when the
   * tags are signable, else {@code AAAA}.
   */
  private static String crafted(String tags, PrivateKey key, String message) throws Exception {
    TagList t = TagList.parse(tags);
    String c = t.get("c", "simple/simple");
    Canonicalization body = c.contains("/") ? Canonicalization.fromTag(c.substring(c.indexOf('/') + 1)) : Canonicalization.SIMPLE;
    if (body == null) {
      body = Canonicalization.SIMPLE;
    }
    RawMessage m = msg(message);
    long limit = t.has("l") && t.get("l").matches("[0-9]{1,17}") ? Long.parseLong(t.get("l")) : BodyHasher.NO_LIMIT;
    BodyHash bh = BodyHasher.hash(body, SignatureAlgorithm.sha256(), limit, m.bytes(), m.bodyOffset(), m.bodyLength());
    String field = "DKIM-Signature: " + tags + " bh=" + Base64.getEncoder().encodeToString(bh.digest()) + "; b=";
    String b;
    try {
      b = DkimSigner.signatureValue(m, field, key);
    } catch (IllegalArgumentException e) {
      b = "AAAA"; // not signable by us (e.g. a=rsa-sha1): the verifier rejects it before any crypto
    }
    return field + b + "\r\n" + message;
  }

  private static final String BASE = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; h=from:to:subject;";

  @Test
  void rsaAndEd25519SignaturesPass() throws Exception {
    String m = signed(signer(ED).build(), signed(signer(RSA).build(), MESSAGE));
    List<DkimResult> r = verify(dns(record(RSA), record(ED)), m);
    // Two records at one name: each signature finds its own key by cycling (RFC 6376 6.1.2 step 4).
    assertThat(r).extracting(DkimResult::status).containsExactly(AuthStatus.PASS, AuthStatus.PASS);
    assertThat(r).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
    assertThat(r).extracting(DkimResult::keyBits).containsExactly(256, 2048);
    assertThat(r.get(0).domain()).isEqualTo("example.org");
    assertThat(r.get(0).selector()).isEqualTo("sel");
    assertThat(r.get(0).identity()).isEqualTo("@example.org");
    assertThat(r.get(0).bPrefix()).hasSize(8);
    assertThat(r.get(0).reason()).isEqualTo("signature verified");
  }

  @Test
  void unsignedMessageHasNoResults() {
    assertThat(verify(dns(), MESSAGE)).isEmpty();
  }

  @Test
  void rfc6376_6_1_2_step2_dnsTimeoutIsTemperror() throws Exception {
    InMemoryResolver dns = InMemoryResolver.builder().timeout(KEY_NAME, RecordType.TXT).build();
    DkimResult r = verifyOne(dns, signed(signer(RSA).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.TEMPERROR);
    assertThat(r.reason()).containsIgnoringCase("DNS").contains("timed out");
  }

  @Test
  void rfc6376_6_1_2_step2_servfailIsTemperror() throws Exception {
    InMemoryResolver dns = InMemoryResolver.builder().servfail(KEY_NAME, RecordType.TXT).build();
    DkimResult r = verifyOne(dns, signed(signer(RSA).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.TEMPERROR);
    assertThat(r.reason()).contains("SERVFAIL");
  }

  @Test
  void rfc6376_6_1_2_step3_noKeyRecordIsPermerror() throws Exception {
    DkimResult r = verifyOne(dns(), signed(signer(RSA).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).startsWith("no key for signature");
  }

  @Test
  void rfc6376_6_1_2_step7_revokedKeyIsPermerror() throws Exception {
    DkimResult r = verifyOne(dns("v=DKIM1; k=rsa; p="), signed(signer(RSA).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).isEqualTo("key revoked");
  }

  @Test
  void rfc8301_3_2_rsaKeyUnder1024BitsIsPermerror() throws Exception {
    KeyPair weak = TestKeys.rsa512();
    DkimResult r = verifyOne(dns(record(weak)), signed(signer(weak).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).isEqualTo("key too small (512 bits; RFC 8301 requires 1024)");
    assertThat(r.keyBits()).isEqualTo(512);
  }

  @Test
  void rfc8301_3_2_a1024BitKeyPassesAndAStricterMinimumCanBeSet() throws Exception {
    KeyPair k = TestKeys.rsa1024();
    String m = signed(signer(k).build(), MESSAGE);
    assertThat(verifyOne(dns(record(k)), m).status()).isEqualTo(AuthStatus.PASS);
    DkimVerifier strict = new DkimVerifier(dns(record(k)), CLOCK, DkimVerifier.Options.defaults().withMinRsaBits(2048));
    DkimResult r = strict.verify(msg(m)).get(0);
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).isEqualTo("key too small (1024 bits; we require 2048)");
    assertThatThrownBy(() -> DkimVerifier.Options.defaults().withMinRsaBits(512))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RFC 8301");
  }

  @Test
  void rfc8301_3_1_rsaSha1IsNeverAPass() throws Exception {
    String m = crafted(BASE.replace("rsa-sha256", "rsa-sha1"), RSA.getPrivate(), MESSAGE);
    DkimResult r = verifyOne(dns(record(RSA)), m);
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).isEqualTo("rsa-sha1 is not accepted (RFC 8301)");
    assertThat(r.algorithm()).isEqualTo("rsa-sha1");
  }

  @Test
  void rfc6376_6_1_1_expiredSignatureIsPermerror() throws Exception {
    String expired = crafted(BASE + " t=" + (NOW - 100) + "; x=" + (NOW - 1) + ";", RSA.getPrivate(), MESSAGE);
    DkimResult r = verifyOne(dns(record(RSA)), expired);
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).isEqualTo("signature expired (x=" + (NOW - 1) + ")");
    // Within the configured clock skew it still passes.
    DkimVerifier lenient = new DkimVerifier(dns(record(RSA)), CLOCK,
        DkimVerifier.Options.defaults().withClockSkew(Duration.ofSeconds(5)));
    assertThat(lenient.verify(msg(expired)).get(0).status()).isEqualTo(AuthStatus.PASS);
    // x= equal to now has not passed yet.
    String lastSecond = crafted(BASE + " t=" + (NOW - 100) + "; x=" + NOW + ";", RSA.getPrivate(), MESSAGE);
    assertThat(verifyOne(dns(record(RSA)), lastSecond).status()).isEqualTo(AuthStatus.PASS);
  }

  @Test
  void expirySetBySignerIsHonoured() throws Exception {
    String m = signed(signer(ED).expiry(Duration.ofHours(1)).build(), MESSAGE);
    assertThat(verifyOne(dns(record(ED)), m).status()).isEqualTo(AuthStatus.PASS);
    Clock later = Clock.offset(CLOCK, Duration.ofHours(1).plusSeconds(1));
    DkimResult r = new DkimVerifier(dns(record(ED)), later).verify(msg(m)).get(0);
    assertThat(r.reason()).startsWith("signature expired");
  }

  @ParameterizedTest(name = "RFC 6376 3.5 t=/x=: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "t=1699999000; x=1699999000;   | permerror | x= is not later than t=",
      "t=1699999000; x=1699998000;   | permerror | x= is not later than t=",
      "t=2000000000;                 | pass      | signature verified", // t= in the future is not checked
      "x=9999999999999;              | pass      | signature verified", // more than 12 digits: infinite
      "t=9999999999999; x=9999999999999; | permerror | x= is not later than t=",
      "t=12ab;                       | permerror | t= is not a number",
      "x=;                           | permerror | x= is not a number",
  })
  void timestamps(String tags, String status, String reason) throws Exception {
    DkimResult r = verifyOne(dns(record(RSA)), crafted(BASE + " " + tags, RSA.getPrivate(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.fromWord(status));
    assertThat(r.reason()).contains(reason);
  }

  @ParameterizedTest(name = "RFC 6376 6.1.1 i=: \"{0}\" with key \"{1}\" -> {2}")
  @CsvSource(delimiter = '|', value = {
      "i=alice@example.org;            | ''     | pass      | signature verified",
      "i=@mail.example.org;            | ''     | pass      | signature verified",
      "i=alice@Example.ORG;            | ''     | pass      | signature verified",
      "i=alice=40example.org;          | ''     | pass      | signature verified", // dkim-quoted-printable @
      "i=alice@example.net;            | ''     | permerror | domain mismatch",
      "i=alice@badexample.org;         | ''     | permerror | domain mismatch",
      "i=alice;                        | ''     | permerror | i= is not an address",
      "i=alice@example.org=;           | ''     | permerror | i= is not an address",
      "i=alice@mail.example.org;       | t=s;   | permerror | t=s requires the i= domain to equal d=",
      "i=alice@example.org;            | t=s;   | pass      | signature verified",
      "''                              | t=s;   | pass      | signature verified",
  })
  void identity(String iTag, String flags, String status, String reason) throws Exception {
    String rec = "v=DKIM1; " + flags + " p=" + Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded());
    DkimResult r = verifyOne(dns(rec), crafted(BASE + " " + iTag, RSA.getPrivate(), MESSAGE));
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.fromWord(status));
    assertThat(r.reason()).contains(reason);
  }

  @ParameterizedTest(name = "RFC 6376 6.1.1: {0} -> permerror \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "v=1; a=rsa-sha256; d=example.org; s=sel; h=to:subject;                 | From field not signed",
      "a=rsa-sha256; d=example.org; s=sel; h=from;                            | missing required tag v=",
      "v=2; a=rsa-sha256; d=example.org; s=sel; h=from;                       | incompatible version v=2",
      "v=1; a=rsa-md5; d=example.org; s=sel; h=from;                          | unsupported algorithm a=rsa-md5",
      "v=1; a=RSA-SHA256; d=example.org; s=sel; h=from;                       | unsupported algorithm a=RSA-SHA256",
      "v=1; a=rsa-sha256; c=future; d=example.org; s=sel; h=from;             | unsupported canonicalization c=future",
      "v=1; a=rsa-sha256; c=relaxed/future; d=example.org; s=sel; h=from;     | unsupported canonicalization",
      "v=1; a=rsa-sha256; q=http; d=example.org; s=sel; h=from;               | unsupported query method q=http",
      "v=1; a=rsa-sha256; q=dns/special; d=example.org; s=sel; h=from;        | unsupported query method",
      "v=1; a=rsa-sha256; d=example.org; h=from;                              | missing required tag s=",
      "v=1; a=rsa-sha256; s=sel; h=from;                                      | missing required tag d=",
      "v=1; a=rsa-sha256; d=example.org; s=sel;                               | missing required tag h=",
      "v=1; a=rsa-sha256; d=example..org; s=sel; h=from;                      | is not a domain name",
      "v=1; a=rsa-sha256; d=org; s=sel; h=from;                               | is not a domain name",
      "v=1; a=rsa-sha256; d=example.org; s=s_1; h=from;                       | is not a selector",
      "v=1; a=rsa-sha256; d=example.org; s=sel; h=from::to;                   | invalid header field name",
      "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; l=12x;                | l= is not a number",
      "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; v=1;                  | duplicate tag v=",
  })
  void invalidSignatureFields(String tags, String reason) throws Exception {
    DkimResult r = verifyOne(dns(record(RSA)), crafted(tags, RSA.getPrivate(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).contains(reason);
  }

  @Test
  void malformedFieldsGiveAResultEach() {
    String m = "DKIM-Signature: synerr\r\n"
        + "DKIM-Signature:\r\n"
        + "DKIM-Signature: " + BASE + " bh=!!!; b=AAAA\r\n"
        + "DKIM-Signature: " + BASE + " bh=AAAA; b=\r\n"
        + "DKIM-Signature: " + BASE + " bh=AAAA; b=AAAA; l=" + "9".repeat(77) + "\r\n"
        + MESSAGE;
    List<DkimResult> r = verify(dns(record(RSA)), m);
    assertThat(r).extracting(DkimResult::status).containsOnly(AuthStatus.PERMERROR).hasSize(5);
    assertThat(r).extracting(DkimResult::reason).containsExactly(
        "signature syntax error: tag-spec \"synerr\" has no '='",
        "missing required tag v= (pre-RFC 6376 signature)",
        "signature syntax error: bh= is not base64",
        "signature syntax error: b= is not base64",
        "signature syntax error: l= is not a number");
  }

  @Test
  void hugeLTagIsAFailNotACrash() throws Exception {
    // 76 digits is allowed syntax (RFC 6376 3.5) but longer than any body: the signed body is not there.
    DkimResult r = verifyOne(dns(record(RSA)), crafted(BASE + " l=" + "9".repeat(76) + ";", RSA.getPrivate(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).startsWith("body hash did not verify: l=");
  }

  @ParameterizedTest(name = "RFC 6376 6.1.2: key record \"{0}\" -> permerror \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "v=DKIM1; k=ed25519; p=ED             | inappropriate key algorithm: k=ed25519 key for a=rsa-sha256",
      "v=DKIM1; h=sha1; p=RSA               | inappropriate hash algorithm: key record h= does not list sha256",
      "v=DKIM1; s=chat; p=RSA               | key record is not for email",
      "v=DKIM3; p=RSA                       | v=DKIM3 is not DKIM1",
      "k=rsa; t; p=RSA                      | key record syntax error",
      "k=foobar; p=RSA                      | unsupported key type k=foobar",
      "v=spf1 -all                          | key record version v=spf1 -all is not DKIM1",
  })
  void unusableKeyRecords(String record, String reason) throws Exception {
    String rec = record.replace("p=RSA", "p=" + Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded()))
        .replace("p=ED", "p=" + Base64.getEncoder().encodeToString(DkimKeys.rawEd25519(ED.getPublic())));
    DkimResult r = verifyOne(dns(rec), signed(signer(RSA).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).contains(reason);
  }

  @Test
  void keyRecordOptionsThatStillPass() throws Exception {
    String p = Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded());
    for (String rec : List.of("v=DKIM1; s=email; p=" + p, "s=*; h=sha1:sha256; p=" + p, "k=rsa; g=*; n=note; p=" + p)) {
      assertThat(verifyOne(dns(rec), signed(signer(RSA).build(), MESSAGE)).status()).as(rec).isEqualTo(AuthStatus.PASS);
    }
  }

  @Test
  void rfc6376_3_6_1_testingFlagIsReported() throws Exception {
    String rec = "v=DKIM1; k=ed25519; t=y; p=" + Base64.getEncoder().encodeToString(DkimKeys.rawEd25519(ED.getPublic()));
    DkimResult r = verifyOne(dns(rec), signed(signer(ED).build(), MESSAGE));
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.testing()).isTrue();
    assertThat(verifyOne(dns(record(ED)), signed(signer(ED).build(), MESSAGE)).testing()).isFalse();
  }

  @Test
  void rfc6376_6_1_2_step4_severalKeyRecordsAreTriedInOrder() throws Exception {
    String m = signed(signer(RSA).build(), MESSAGE);
    String other = record(TestKeys.rsa1024Other());
    // Junk first, the right key second: pass.
    assertThat(verifyOne(dns("v=spf1 -all", record(RSA)), m).status()).isEqualTo(AuthStatus.PASS);
    // A wrong key first: the right one later still passes.
    assertThat(verifyOne(dns(other, record(RSA)), m).status()).isEqualTo(AuthStatus.PASS);
    // Junk and a wrong key: the cryptographic verdict (fail) is reported, not the junk's error.
    DkimResult wrong = verifyOne(dns("v=spf1 -all", other), m);
    assertThat(wrong.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(wrong.reason()).isEqualTo("signature did not verify");
    // Only junk: the first record's error.
    DkimResult junk = verifyOne(dns("v=spf1 -all", "k=foobar; p=AAAA"), m);
    assertThat(junk.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(junk.reason()).isEqualTo("key record version v=spf1 -all is not DKIM1");
    // The bound: with one record tried, the right key in second place is not reached.
    DkimVerifier one = new DkimVerifier(dns("v=spf1 -all", record(RSA)), CLOCK,
        DkimVerifier.Options.defaults().withMaxKeyRecords(1));
    assertThat(one.verify(msg(m)).get(0).status()).isEqualTo(AuthStatus.PERMERROR);
  }

  @Test
  void signatureCountBound_first10AreVerifiedTheRestArePolicyWithoutDnsQueries() throws Exception {
    String m = MESSAGE;
    for (int i = 0; i < 12; i++) {
      m = signed(DkimSigner.builder("example.org", "sel", ED.getPrivate()).clock(CLOCK).build(), m);
    }
    InMemoryResolver dns = dns(record(ED));
    List<DkimResult> r = new DkimVerifier(dns, CLOCK).verify(msg(m));
    assertThat(r).hasSize(12);
    assertThat(r.subList(0, 10)).extracting(DkimResult::status).containsOnly(AuthStatus.PASS);
    assertThat(r.subList(10, 12)).allSatisfy(res -> {
      assertThat(res.status()).isEqualTo(AuthStatus.POLICY);
      assertThat(res.reason()).isEqualTo("not verified: more than 10 DKIM-Signature fields");
      assertThat(res.domain()).isEqualTo("example.org");
      assertThat(res.selector()).isEqualTo("sel");
      assertThat(res.keyBits()).isZero();
    });
    assertThat(dns.queries()).hasSize(10);

    InMemoryResolver dns2 = dns(record(ED));
    List<DkimResult> r2 = new DkimVerifier(dns2, CLOCK, DkimVerifier.Options.defaults().withMaxSignatures(2)).verify(msg(m));
    assertThat(r2).extracting(DkimResult::status).containsExactly(
        AuthStatus.PASS, AuthStatus.PASS, AuthStatus.POLICY, AuthStatus.POLICY, AuthStatus.POLICY, AuthStatus.POLICY,
        AuthStatus.POLICY, AuthStatus.POLICY, AuthStatus.POLICY, AuthStatus.POLICY, AuthStatus.POLICY, AuthStatus.POLICY);
    assertThat(dns2.queries()).hasSize(2);
  }

  @Test
  void resultsComeInHeaderOrder() throws Exception {
    String m = signed(DkimSigner.builder("one.example", "a", ED.getPrivate()).clock(CLOCK).build(),
        signed(DkimSigner.builder("two.example", "b", ED.getPrivate()).clock(CLOCK).build(), MESSAGE));
    InMemoryResolver dns = InMemoryResolver.builder().txt("b._domainkey.two.example", record(ED)).build();
    List<DkimResult> r = new DkimVerifier(dns, CLOCK).verify(msg(m));
    assertThat(r).extracting(DkimResult::domain).containsExactly("one.example", "two.example");
    assertThat(r).extracting(DkimResult::status).containsExactly(AuthStatus.PERMERROR, AuthStatus.PASS);
  }

  @Test
  void rfc6376_3_5_bodyLengthTag() throws Exception {
    String m = signed(signer(RSA).bodyLengthTag(true).build(), MESSAGE);
    assertThat(verifyOne(dns(record(RSA)), m).reason()).isEqualTo("signature verified");
    // Content appended after signing: still a pass, and the reason says how much is unsigned: the two
    // trailing empty lines that canonicalization had dropped (4 octets) and the 18 octets of text.
    String appended = m + "Unsigned trailer\r\n";
    DkimResult r = verifyOne(dns(record(RSA)), appended);
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.reason()).endsWith("leaves 22 body octets unsigned");
    DkimVerifier strict = new DkimVerifier(dns(record(RSA)), CLOCK, DkimVerifier.Options.defaults().withAllowPartialBody(false));
    DkimResult p = strict.verify(msg(appended)).get(0);
    assertThat(p.status()).isEqualTo(AuthStatus.POLICY);
    assertThat(p.reason()).contains("leaves 22 body octets unsigned");
    // Body cut short after signing: l= is larger than the body, which is a fail (documented choice).
    String cut = m.substring(0, m.indexOf("  this is a test."));
    DkimResult f = verifyOne(dns(record(RSA)), cut);
    assertThat(f.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(f.reason()).startsWith("body hash did not verify: l=").contains("is more than the canonicalized body");
  }

  @Test
  void rfc6376_3_5_unknownTagsAreSignedButOtherwiseIgnored() throws Exception {
    String m = crafted(BASE + " foo=bar;", RSA.getPrivate(), MESSAGE);
    assertThat(verifyOne(dns(record(RSA)), m).status()).isEqualTo(AuthStatus.PASS);
    DkimResult r = verifyOne(dns(record(RSA)), m.replace("foo=bar", "foo=baz"));
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).isEqualTo("signature did not verify");
  }

  @Test
  void rfc6376_3_5_queryMethodListWithDnsTxtIsAccepted() throws Exception {
    String m = crafted(BASE + " q=foo/bar : dns/txt;", RSA.getPrivate(), MESSAGE);
    assertThat(verifyOne(dns(record(RSA)), m).status()).isEqualTo(AuthStatus.PASS);
  }

  @Test
  void rfc6376_5_4_2_overSignedFieldAddedLaterFails() throws Exception {
    String m = signed(signer(ED).overSign(true).build(), MESSAGE);
    assertThat(verifyOne(dns(record(ED)), m).status()).isEqualTo(AuthStatus.PASS);
    String withExtra = m.replace("\r\n\r\nHello", "\r\nSubject: injected\r\n\r\nHello");
    assertThat(verifyOne(dns(record(ED)), withExtra).status()).isEqualTo(AuthStatus.FAIL);
    String withCc = m.replace("\r\n\r\nHello", "\r\nCc: someone@example.com\r\n\r\nHello");
    assertThat(verifyOne(dns(record(ED)), withCc).status()).isEqualTo(AuthStatus.FAIL);
    // Without over-signing, an added Cc (not present when signed) goes unnoticed.
    String plain = signed(signer(ED).build(), MESSAGE);
    assertThat(verifyOne(dns(record(ED)), plain.replace("\r\n\r\nHello", "\r\nCc: x@example.com\r\n\r\nHello")).status())
        .isEqualTo(AuthStatus.PASS);
  }

  @Test
  void rfc6376_3_7_simpleHeaderCanonicalizationKeepsTheFoldingOfTheSignatureField() throws Exception {
    String m = signed(signer(RSA).canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE).build(), MESSAGE);
    assertThat(m.substring(0, m.indexOf("\r\nFrom:"))).contains("\r\n\t");
    assertThat(verifyOne(dns(record(RSA)), m).status()).isEqualTo(AuthStatus.PASS);
    // Refolding the signature field (outside b=) breaks a simple signature but not a relaxed one.
    String refolded = m.replaceFirst("; d=example.org;", ";\r\n d=example.org;");
    if (refolded.equals(m)) {
      refolded = m.replaceFirst("\r\n\td=example.org;", " d=example.org;");
    }
    assertThat(refolded).isNotEqualTo(m);
    assertThat(verifyOne(dns(record(RSA)), refolded).status()).isEqualTo(AuthStatus.FAIL);
    String relaxed = signed(signer(RSA).build(), MESSAGE);
    String relaxedRefolded = relaxed.replaceFirst("; d=example.org;", ";\r\n d=example.org;");
    if (relaxedRefolded.equals(relaxed)) {
      relaxedRefolded = relaxed.replaceFirst("\r\n\td=example.org;", " d=example.org;");
    }
    assertThat(relaxedRefolded).isNotEqualTo(relaxed);
    assertThat(verifyOne(dns(record(RSA)), relaxedRefolded).status()).isEqualTo(AuthStatus.PASS);
  }

  @Test
  void messagesWithoutBody() throws Exception {
    for (String m : List.of("From: a@example.org\r\nSubject: x\r\n\r\n", "From: a@example.org\r\nSubject: x\r\n",
        "From: a@example.org")) {
      for (Canonicalization c : Canonicalization.values()) {
        String s = signed(signer(ED).canonicalization(c, c).build(), m);
        assertThat(verifyOne(dns(record(ED)), s).status()).as(c + " " + m).isEqualTo(AuthStatus.PASS);
      }
    }
  }

  @Test
  void verifierIsSafeForConcurrentUse() throws Exception {
    String m = signed(signer(ED).build(), signed(signer(RSA).build(), MESSAGE));
    DkimVerifier v = new DkimVerifier(dns(record(RSA), record(ED)), CLOCK);
    RawMessage parsed = msg(m);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<DkimResult>>> futures = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit(() -> v.verify(parsed)));
      }
      for (Future<List<DkimResult>> f : futures) {
        assertThat(f.get()).extracting(DkimResult::status).containsExactly(AuthStatus.PASS, AuthStatus.PASS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
