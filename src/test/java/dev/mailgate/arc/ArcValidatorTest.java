package dev.mailgate.arc;

import static dev.mailgate.arc.ArcFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chain validation (RFC 8617 section 5.2): what the published suite does not cover, and our bounds. */
class ArcValidatorTest {
  private static final InMemoryResolver DNS = ArcFixtures.dns().build();
  /** list.example (RSA) at i=1, forward.example (Ed25519) at i=2, third.example (RSA) at i=3. */
  private static RawMessage threeSets;

  @BeforeAll
  static void seal() throws Exception {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    m = ArcFixtures.seal(m, ArcFixtures.listSealer(), DNS, "mx.list.example");
    m = ArcFixtures.seal(m, ArcFixtures.forwardSealer(), DNS, "mx.forward.example");
    threeSets = ArcFixtures.seal(m, ArcFixtures.thirdSealer(), DNS, "mx.third.example");
  }

  private static ArcResult validate(RawMessage m, InMemoryResolver dns) {
    return new ArcValidator(dns, CLOCK).validate(m);
  }

  @Test
  void rfc8617_5_2_step1_noArcFields_none() {
    ArcResult r = validate(ArcFixtures.message(ArcFixtures.MESSAGE), DNS);
    assertThat(r).isEqualTo(ArcResult.none());
    assertThat(r.status().word()).isEqualTo("none");
  }

  @Test
  void rfc8617_5_2_step1_moreThan50Sets_failWithoutParsingOrDns() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 151; i++) {
      sb.append("ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x").append(i).append(".example; s=s; b=AAAA\n");
    }
    InMemoryResolver dns = ArcFixtures.dns().build();
    ArcResult r = validate(ArcFixtures.message(sb + ArcFixtures.MESSAGE), dns);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).contains("more than 50 ARC Sets");
    assertThat(dns.queries()).isEmpty();
  }

  @ParameterizedTest(name = "RFC 8617 3.9 position: i={0} -> fail")
  @CsvSource({"0", "51", "99", "100", "-1", "1.0", "x"})
  void instanceOutside1To50_fail(String i) {
    String aar = "ARC-Authentication-Results: i=" + i + "; mx.example; spf=pass\n";
    ArcResult r = validate(ArcFixtures.message(aar + ArcFixtures.MESSAGE), DNS);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).contains("without a valid instance tag");
  }

  @Test
  void rfc8617_5_2_threeSets_pass_withSealersOldestFirst() {
    ArcResult r = validate(threeSets, DNS);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(3);
    assertThat(r.oldestPass()).isZero();
    assertThat(r.sealers()).containsExactly(
        new ArcResult.Sealer(1, "list.example", "rsa"),
        new ArcResult.Sealer(2, "forward.example", "ed"),
        new ArcResult.Sealer(3, "third.example", "other"));
    assertThat(r.sealerDomains()).containsExactly("list.example", "forward.example", "third.example");
    assertThat(r.dnsTempFailure()).isFalse();
  }

  @Test
  void keysAreFetchedOncePerNamePerMessage() {
    InMemoryResolver dns = ArcFixtures.dns().build();
    validate(threeSets, dns);
    // 3 AMS + 3 AS signatures, 3 distinct keys: one query each.
    assertThat(dns.queries()).containsExactlyInAnyOrder(
        "TXT rsa._domainkey.list.example", "TXT ed._domainkey.forward.example", "TXT other._domainkey.third.example");
  }

  @Test
  void rfc8617_9_2_keyLookupBudget_failsBeyondIt() {
    InMemoryResolver dns = ArcFixtures.dns().build();
    ArcResult r = new ArcValidator(dns, CLOCK, new ArcValidator.Options(2, 1024)).validate(threeSets);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).contains("more than 2 key lookups");
    assertThat(dns.queries()).hasSize(2);
  }

  @ParameterizedTest(name = "RFC 8617 5.2.1: {0} at the i=2 key -> fail, flagged as a DNS failure")
  @CsvSource({"timeout", "servfail"})
  void rfc8617_5_2_1_dnsFailureIsPermanentFail(String kind) {
    InMemoryResolver.Builder b = InMemoryResolver.builder()
        .txt("rsa._domainkey.list.example", DkimKeys.keyRecord(ArcFixtures.RSA.getPublic()))
        .txt("other._domainkey.third.example", DkimKeys.keyRecord(ArcFixtures.RSA_OTHER.getPublic()));
    if (kind.equals("timeout")) {
      b.timeout("ed._domainkey.forward.example", RecordType.TXT);
    } else {
      b.servfail("ed._domainkey.forward.example", RecordType.TXT);
    }
    ArcResult r = validate(threeSets, b.build());
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.dnsTempFailure()).isTrue();
    assertThat(r.reason()).contains("ARC-Seal i=2: key unavailable", "all failures are permanent");
  }

  @Test
  void rfc8617_5_2_step5_dnsFailureForAnOlderAms_onlyStopsOldestPass() throws Exception {
    // Set 1 by hand: AMS(1) signed with a key of its own (selector "amsonly"), AS(1) with the list key.
    InMemoryResolver full = ArcFixtures.dns()
        .txt("amsonly._domainkey.list.example", DkimKeys.keyRecord(ArcFixtures.RSA_OTHER.getPublic())).build();
    RawMessage m = ArcFixtures.handSeal(ArcFixtures.message(ArcFixtures.MESSAGE),
        "a=rsa-sha256; bh={bh}; c=relaxed/relaxed; d=list.example; h=from:to:subject; i=1; s=amsonly; t=1",
        ArcFixtures.RSA_OTHER.getPrivate(), "a=rsa-sha256; cv=none; d=list.example; i=1; s=rsa; t=1",
        ArcFixtures.RSA.getPrivate());
    assertThat(validate(m, full).status()).isEqualTo(AuthStatus.PASS);
    m = ArcFixtures.seal(m, ArcFixtures.forwardSealer(), full, "mx.forward.example");
    assertThat(validate(m, full).oldestPass()).isZero();

    InMemoryResolver amsKeyTimesOut = ArcFixtures.dns().timeout("amsonly._domainkey.list.example", RecordType.TXT).build();
    ArcResult r = validate(m, amsKeyTimesOut);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.dnsTempFailure()).isFalse();
    assertThat(r.oldestPass()).isEqualTo(2);
    assertThat(r.reason()).contains("oldest-pass=2", "ARC-Message-Signature i=1: key unavailable");
  }

  @Test
  void rfc6376_3_5_x_expiredAms_fail() throws Exception {
    long t = CLOCK.instant().getEpochSecond();
    RawMessage m = ArcFixtures.handSeal(ArcFixtures.message(ArcFixtures.MESSAGE),
        "a=rsa-sha256; bh={bh}; c=relaxed/relaxed; d=list.example; h=from:to:subject; i=1; s=rsa; t=" + t
            + "; x=" + (t + 60),
        ArcFixtures.RSA.getPrivate(), "a=rsa-sha256; cv=none; d=list.example; i=1; s=rsa; t=" + t,
        ArcFixtures.RSA.getPrivate());
    assertThat(validate(m, DNS).status()).isEqualTo(AuthStatus.PASS);
    Clock later = Clock.offset(CLOCK, java.time.Duration.ofSeconds(61));
    ArcResult r = new ArcValidator(DNS, later).validate(m);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).contains("ARC-Message-Signature i=1: signature expired");
  }

  @Test
  void rfc6376_3_5_tInTheFuture_accepted_asForDkim() {
    Clock early = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
    ArcResult r = new ArcValidator(DNS, early).validate(threeSets);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
  }

  @ParameterizedTest(name = "RFC 6376 3.5 l=: {0}")
  @CsvSource({"shorter than the body -> pass, 10, pass", "longer than the body -> fail, 100000, fail"})
  void bodyLengthTag(String name, long l, String expected) throws Exception {
    RawMessage m = ArcFixtures.handSeal(ArcFixtures.message(ArcFixtures.MESSAGE),
        "a=rsa-sha256; bh={bh:" + l + "}; c=relaxed/relaxed; d=list.example; h=from; i=1; l=" + l + "; s=rsa",
        ArcFixtures.RSA.getPrivate(), "a=rsa-sha256; cv=none; d=list.example; i=1; s=rsa",
        ArcFixtures.RSA.getPrivate());
    ArcResult r = validate(m, DNS);
    assertThat(r.status().word()).as(r.reason()).isEqualTo(expected);
  }

  @Test
  void rfc8617_4_1_2_versionTagInAmsIsIgnored() throws Exception {
    RawMessage m = ArcFixtures.handSeal(ArcFixtures.message(ArcFixtures.MESSAGE),
        "v=1; a=rsa-sha256; bh={bh}; c=relaxed/relaxed; d=list.example; h=from:to; i=1; s=rsa",
        ArcFixtures.RSA.getPrivate(), "a=rsa-sha256; cv=none; d=list.example; i=1; s=rsa",
        ArcFixtures.RSA.getPrivate());
    ArcResult r = validate(m, DNS);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
  }

  @ParameterizedTest(name = "key record {0} -> fail ({1})")
  @CsvSource(delimiter = '|', value = {
      "v=DKIM1; k=rsa; p=|key revoked",
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=|inappropriate key algorithm",
      "v=DKIM1; h=sha1; p={p}|inappropriate hash algorithm",
      "v=DKIM1; s=tlsrpt; p={p}|not for email",
      "not a key record|key record syntax error"})
  void unusableKeyRecords_fail(String record, String reason) {
    InMemoryResolver dns = InMemoryResolver.builder()
        .txt("rsa._domainkey.list.example", record.replace("{p}", rsaP()))
        .txt("ed._domainkey.forward.example", DkimKeys.keyRecord(ArcFixtures.ED25519.getPublic()))
        .txt("other._domainkey.third.example", DkimKeys.keyRecord(ArcFixtures.RSA_OTHER.getPublic()))
        .build();
    ArcResult r = validate(threeSets, dns);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).contains("ARC-Seal i=1", reason);
  }

  private static String rsaP() {
    String r = DkimKeys.keyRecord(ArcFixtures.RSA.getPublic());
    return r.substring(r.indexOf("p=") + 2);
  }

  @Test
  void noKeyRecord_fail() {
    InMemoryResolver dns = InMemoryResolver.builder()
        .txt("ed._domainkey.forward.example", DkimKeys.keyRecord(ArcFixtures.ED25519.getPublic()))
        .txt("other._domainkey.third.example", DkimKeys.keyRecord(ArcFixtures.RSA_OTHER.getPublic()))
        .build();
    ArcResult r = validate(threeSets, dns);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.reason()).contains("ARC-Seal i=1: no key for signature");
  }

  @Test
  void hugeAndBinaryArcFieldsGiveFailNotCrash() {
    String big = "A".repeat(200_000);
    String msg = "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=list.example; s=rsa; b=" + big + "\n"
        + "ARC-Message-Signature: i=1; a=rsa-sha256; d=list.example; s=rsa; h=from; bh=" + big + "; b=" + big + "\n"
        + "ARC-Authentication-Results: i=1; \u0000\u0001\u00ff" + big + "\n" + ArcFixtures.MESSAGE;
    ArcResult r = validate(RawMessage.parse(msg.getBytes(StandardCharsets.ISO_8859_1)), DNS);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
  }

  @Test
  void resultRecordAcceptsOnlyArcWords() {
    assertThatThrownBy(() -> new ArcResult(AuthStatus.TEMPERROR, 0, 0, List.of(), List.of(), "x", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
