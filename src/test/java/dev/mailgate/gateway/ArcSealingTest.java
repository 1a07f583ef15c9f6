package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.arc.ArcResult;
import dev.mailgate.arc.ArcSealer;
import dev.mailgate.arc.ArcValidator;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dns.DnsFixture;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import dev.mailgate.policy.PolicyConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8617 section 5.1 in the gateway: with $.arc.seal on, what we forward and relay carries our ARC Set,
 * which a receiver validates against our published key: instance 1 with cv=none for a message that came
 * without ARC, the next instance with cv=pass over a valid chain, and our results in the AAR.
 */
class ArcSealingTest {
  private static KeyPair ours;
  private static KeyPair lists;
  @TempDir Path dir;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    ours = g.generateKeyPair();
    lists = g.generateKeyPair();
  }

  private static String pem(KeyPair k) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** The sample DNS (events/dns-fixture.zone) plus our ARC key and a mailing list's. */
  private static DnsResolver dns() {
    try {
      InMemoryResolver.Builder b = DnsFixture.builder(Files.readAllBytes(Path.of("events/dns-fixture.zone")),
          "events/dns-fixture.zone");
      return b.txt("arc2026._domainkey.mailgate.example", DkimKeys.keyRecord(ours.getPublic()))
          .txt("arc._domainkey.lists.example", DkimKeys.keyRecord(lists.getPublic()))
          .txt("lists.example", "v=spf1 ip4:198.51.100.0/24 -all")
          .logQueries(false)
          .build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Harness harness(String keySource) {
    String arc = "\"arc\": {\"seal\": true, \"domain\": \"mailgate.example\", \"selector\": \"arc2026\", "
        + "\"privateKey\": \"" + keySource.replace("\n", "\\n") + "\"}";
    return new Harness(dir, arc, dns(), Gateway.SES_MAX_MESSAGE_BYTES);
  }

  @Test
  void aForwardWithoutArcGetsInstanceOneWithCvNoneThatValidates() {
    Harness h = harness(pem(ours));
    Outcome o = h.runS3(h.put("m1", TestMessages.fromAlice("bob@mailgate.example")));
    assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
    RawMessage sent = RawMessage.parse(h.outbox.sent().get(0).raw());
    assertThat(sent.headers().get(0).name()).isEqualTo("ARC-Seal");
    assertThat(sent.header("ARC-Seal").orElseThrow().unfoldedValue()).contains("i=1").contains("cv=none")
        .contains("d=mailgate.example").contains("s=arc2026");
    HeaderField aar = sent.header("ARC-Authentication-Results").orElseThrow();
    assertThat(aar.unfoldedValue()).startsWith("i=1; mx.mailgate.example;").contains("spf=pass")
        .contains("dmarc=pass");
    ArcResult r = new ArcValidator(dns(), Clock.systemUTC()).validate(sent);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(1);
  }

  @Test
  void aRelayedListMessageWithAValidChainGetsTheNextInstanceWithCvPass() throws Exception {
    Harness h = harness("file:" + Files.writeString(dir.resolve("arc.pem"), pem(ours)));
    byte[] original = TestMessages.ses("list-bounce@lists.example", "198.51.100.7", "lists.example",
        "carol@mailgate.example", "PASS", "PASS",
        "From: Dave <dave@bulk.example>\r\nTo: list@lists.example\r\nSubject: [list] Hello\r\n"
            + "Message-ID: <2@sender.example>\r\nDate: Sat, 28 Nov 2026 10:14:05 +0100",
        "Hello, list.\r\n");
    // The list sealed the message before sending it to us (ARC fields go above SES's trace fields'
    // position in real mail too: the list's set is older than SES's Received).
    RawMessage unsealed = RawMessage.parse(original);
    ArcSealer list = ArcSealer.builder("lists.example", "arc", lists.getPrivate()).build();
    ArcValidator validator = new ArcValidator(dns(), Clock.systemUTC());
    byte[] sealedByList = list.seal(unsealed, validator.validate(unsealed), "lists.example", "spf=pass")
        .orElseThrow().prependTo(unsealed);

    Outcome o = h.runS3(h.put("m2", sealedByList));
    assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
    OutboxSender.Sent s = h.outbox.sent().get(0);
    assertThat(s.kind()).isEqualTo("relay");
    RawMessage sent = RawMessage.parse(s.raw());
    assertThat(sent.header("ARC-Seal").orElseThrow().unfoldedValue()).contains("i=2").contains("cv=pass");
    assertThat(sent.header("ARC-Authentication-Results").orElseThrow().unfoldedValue())
        .startsWith("i=2; mx.mailgate.example;").contains("arc=pass");
    ArcResult r = validator.validate(sent);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(2);
  }

  /** RFC 8617 5.1.2: cv=fail breaks the chain for good; a DNS timeout on our side is not a broken chain. */
  @Test
  void aChainWeCouldNotValidateForADnsTimeoutIsNotSealedAsFailed() throws Exception {
    String json = String.format(Harness.CONFIG, "[\"x@elsewhere.example\"]", ", \"arc\": {\"seal\": true, \"domain\": \"mailgate.example\", "
        + "\"selector\": \"arc2026\", \"privateKey\": \"" + pem(ours).replace("\n", "\\n") + "\"}");
    OutboundSeal seal = OutboundSeal.fromConfig(PolicyConfigParser.parse(json, "t"), Clock.systemUTC()).orElseThrow();
    byte[] message = TestMessages.fromAlice("bob@mailgate.example");
    ArcResult timedOut = new ArcResult(AuthStatus.FAIL, 1, 0, List.of(), List.of(), "key lookup timed out", true);
    dev.mailgate.authres.AuthReport report = new dev.mailgate.authres.AuthReport(null, null, List.of(), timedOut, null);
    OutboundSeal.Sealed s = seal.seal(message, report);
    assertThat(s.message()).isSameAs(message);
    assertThat(s.problem()).contains("DNS temporary error");
    assertThat(s.failed()).isFalse();
    // Without the temporary-error flag the result goes to the sealer, which checks it against the message:
    // a FAIL for a message without ARC fields does not describe it, and is refused as a failure.
    ArcResult failed = new ArcResult(AuthStatus.FAIL, 0, 0, List.of(), List.of(), "no chain", false);
    OutboundSeal.Sealed refused = seal.seal(message, new dev.mailgate.authres.AuthReport(null, null, List.of(), failed, null));
    assertThat(refused.failed()).isTrue();
    assertThat(refused.message()).isSameAs(message);
  }

  @Test
  void withoutTheSwitchNothingIsSealed() {
    Harness h = new Harness(dir, "", dns(), Gateway.SES_MAX_MESSAGE_BYTES);
    h.runS3(h.put("m3", TestMessages.fromAlice("bob@mailgate.example")));
    assertThat(RawMessage.parse(h.outbox.sent().get(0).raw()).header("ARC-Seal")).isEmpty();
  }

  @Test
  void aKeyThatCannotBeReadIsAConfigurationErrorAtStart() {
    assertThatThrownBy(() -> harness("file:" + dir.resolve("missing.pem")))
        .hasMessageContaining("$.arc.privateKey").hasMessageContaining("missing.pem");
    assertThatThrownBy(() -> harness("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
        .hasMessageContaining("$.arc.privateKey");
  }

  @Test
  void theParserSaysWhichArcSettingIsWrong() {
    String base = "{\"domains\": [\"mailgate.example\"], \"arc\": %s}";
    assertThatThrownBy(() -> PolicyConfigParser.parse(String.format(base, "{\"seal\": true}"), "t"))
        .hasMessageContaining("$.arc.domain").hasMessageContaining("$.arc.selector")
        .hasMessageContaining("$.arc.privateKey");
    assertThatThrownBy(() -> PolicyConfigParser.parse(String.format(base,
        "{\"seal\": true, \"domain\": \"x y\", \"selector\": \"a_b\", \"privateKey\": \"k\"}"), "t"))
        .hasMessageContaining("$.arc.domain").hasMessageContaining("$.arc.selector");
    assertThatThrownBy(() -> PolicyConfigParser.parse(String.format(base, "{\"sealing\": true}"), "t"))
        .hasMessageContaining("$.arc");
  }

}
