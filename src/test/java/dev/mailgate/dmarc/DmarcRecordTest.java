package dev.mailgate.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Record parsing: RFC 9989 sections 4.7 (tags), 4.8 (formal definition, syntax errors) and 4.10.1 (an
 * invalid p/sp/np), and the RFC 7489 differences (6.3: p required; np unknown).
 */
class DmarcRecordTest {

  /**
   * Each expectation is the outcome (VALID, INVALID, NOTDMARC) followed by key=value pairs that must
   * hold; keys are the tag names plus "problems" (the number of discarded syntax errors). A value "-"
   * means absent.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "RFC 9989 4.7: minimal record gets every default | v=DMARC1; p=reject | RFC9989 | VALID p=reject sp=- np=- psd=u t=n adkim=r aspf=r rua= ruf= fo=0 pct=100 rf=afrf ri=86400 problems=0",
    "RFC 9989 4.7: every tag read | v=DMARC1; p=quarantine; sp=reject; np=none; psd=n; t=y; adkim=s; aspf=s; rua=mailto:a@example.com; ruf=mailto:f@example.com; fo=1:d:s; pct=20; rf=afrf; ri=3600 | RFC9989 | VALID p=quarantine sp=reject np=none psd=n t=y adkim=s aspf=s rua=mailto:a@example.com ruf=mailto:f@example.com fo=1:d:s pct=20 rf=afrf ri=3600 problems=0",
    "RFC 9989 4.7 v: not the first tag -> not a DMARC record | p=reject; v=DMARC1 | RFC9989 | NOTDMARC",
    "RFC 9989 4.7 v: absent -> not a DMARC record | p=reject; rua=mailto:a@example.com | RFC9989 | NOTDMARC",
    "RFC 9989 4.7 v: value is case-sensitive | v=dmarc1; p=reject | RFC9989 | NOTDMARC",
    "RFC 9989 4.7 v: only DMARC1 | v=DMARC2; p=reject | RFC9989 | NOTDMARC",
    "RFC 9989 4.8: no separator after the version -> not DMARC1 | v=DMARC1 p=reject | RFC9989 | NOTDMARC",
    "RFC 9989 4.8: an SPF record is not a DMARC record | v=spf1 -all | RFC9989 | NOTDMARC",
    "RFC 9989 4.8: WSP around = and ; is allowed | ` v = DMARC1 ;  p = reject ; adkim = s ` | RFC9989 | VALID p=reject adkim=s problems=0",
    "RFC 9989 4.8: empty tags and a trailing separator | v=DMARC1;;p=reject;; | RFC9989 | VALID p=reject problems=0",
    "RFC 9989 4.7 p: absent in a valid record -> p=none | v=DMARC1; rua=mailto:a@example.com | RFC9989 | VALID p=none problems=0",
    "RFC 9989 4.7 p: absent, no rua either -> p=none | v=DMARC1 | RFC9989 | VALID p=none problems=0",
    "RFC 9989 4.10.1: invalid p without rua -> no DMARC processing | v=DMARC1; p=rejected | RFC9989 | INVALID psd=u",
    "RFC 9989 4.10.1: invalid p with a valid rua -> p=none | v=DMARC1; p=rejected; rua=mailto:a@example.com | RFC9989 | VALID p=none sp=- rua=mailto:a@example.com problems=1",
    "RFC 9989 4.10.1: invalid p with only invalid rua URIs -> no DMARC processing | v=DMARC1; p=bogus; rua=nomailbox | RFC9989 | INVALID",
    "RFC 9989 4.10.1: invalid sp with rua -> the record acts as p=none | v=DMARC1; p=reject; sp=bogus; rua=mailto:a@example.com | RFC9989 | VALID p=none sp=- np=- problems=1",
    "RFC 9989 4.10.1: invalid sp without rua -> no DMARC processing | v=DMARC1; p=reject; sp=bogus | RFC9989 | INVALID",
    "RFC 9989 4.10.1: invalid np without rua -> no DMARC processing | v=DMARC1; p=reject; np=bogus | RFC9989 | INVALID",
    "RFC 9989 4.10.1: empty p value is an invalid p | v=DMARC1; p=; rua=mailto:a@example.com | RFC9989 | VALID p=none problems=1",
    "RFC 9989 4.10.1: psd still read from an unusable record | v=DMARC1; p=x; psd=y | RFC9989 | INVALID psd=y",
    "RFC 7489 6.3: p is required -> no p and no rua is unusable | v=DMARC1; adkim=s | RFC7489 | INVALID",
    "RFC 7489 6.6.3 step 6: no p but a valid rua -> p=none | v=DMARC1; rua=mailto:a@example.com | RFC7489 | VALID p=none problems=1",
    "RFC 7489 6.3: np is an unknown tag, an invalid value is ignored | v=DMARC1; p=reject; np=bogus | RFC7489 | VALID p=reject np=- problems=0",
    "RFC 5234 2.3: policy words are case-insensitive | v=DMARC1; p=Reject; sp=QUARANTINE | RFC9989 | VALID p=reject sp=quarantine",
    "RFC 6376 3.2 via RFC 9989 4.7: tag names are case-sensitive, P is unknown | v=DMARC1; P=reject | RFC9989 | VALID p=none",
    "RFC 9989 4.7: unknown tags are ignored without complaint | v=DMARC1; p=reject; foo=bar; x=1 | RFC9989 | VALID p=reject problems=0",
    "RFC 9989 4.8: a repeated tag: the first stands | v=DMARC1; p=none; p=reject | RFC9989 | VALID p=none problems=1",
    "RFC 9989 4.8: invalid adkim -> default r | v=DMARC1; p=reject; adkim=x | RFC9989 | VALID adkim=r problems=1",
    "RFC 9989 4.8: invalid aspf -> default r | v=DMARC1; p=reject; aspf=strict | RFC9989 | VALID aspf=r problems=1",
    "RFC 9989 4.7 t: y and n | v=DMARC1; p=reject; t=y | RFC9989 | VALID t=y problems=0",
    "RFC 9989 4.8: invalid t -> default n | v=DMARC1; p=reject; t=yes | RFC9989 | VALID t=n problems=1",
    "RFC 9989 4.7 psd: y | v=DMARC1; p=none; psd=y | RFC9989 | VALID psd=y",
    "RFC 9989 4.8: invalid psd -> default u | v=DMARC1; p=none; psd=maybe | RFC9989 | VALID psd=u problems=1",
    "RFC 9989 4.8 dmarc-fo: 0 and 1 are mutually exclusive | v=DMARC1; p=none; fo=0:1 | RFC9989 | VALID fo=0 problems=1",
    "RFC 9989 4.8 dmarc-fo: d and s with spaces around the colon | v=DMARC1; p=none; fo=d : S | RFC9989 | VALID fo=d:s problems=0",
    "RFC 9989 4.8 dmarc-fo: a value may not repeat | v=DMARC1; p=none; fo=d:d | RFC9989 | VALID fo=0 problems=1",
    "RFC 7489 6.3 pct: 0 to 100 | v=DMARC1; p=reject; pct=0 | RFC7489 | VALID pct=0",
    "RFC 7489 6.3 pct: above 100 -> default | v=DMARC1; p=reject; pct=101 | RFC7489 | VALID pct=100 problems=1",
    "RFC 7489 6.4 pct: more than three digits -> default | v=DMARC1; p=reject; pct=0050 | RFC7489 | VALID pct=100 problems=1",
    "RFC 7489 6.3 ri: 32-bit unsigned | v=DMARC1; p=none; ri=4294967296 | RFC7489 | VALID ri=86400 problems=1",
    "RFC 7489 6.4 rf: keyword list | v=DMARC1; p=none; rf=AFRF:iodef | RFC7489 | VALID rf=afrf:iodef",
    "RFC 9989 4.8: a value with a control character is invalid | `v=DMARC1; p=re\u0001ject; rua=mailto:a@example.com` | RFC9989 | VALID p=none problems=1",
    "RFC 9989 4.8: a tag without = is a syntax error, ignored | v=DMARC1; p=reject; garbage | RFC9989 | VALID p=reject problems=1",
    "RFC 9989 4.8: a tag name must be ALPHA | v=DMARC1; p=reject; a_b=c | RFC9989 | VALID p=reject problems=1",
  })
  void parses(String name, String txt, DmarcMode mode, String expected) {
    ParsedRecord parsed = DmarcRecord.parse(txt.replace("\\u0001", "\u0001"), mode);
    String[] want = expected.trim().split(" ");
    String kind = parsed instanceof ParsedRecord.Valid ? "VALID"
        : parsed instanceof ParsedRecord.Invalid ? "INVALID" : "NOTDMARC";
    assertThat(kind).as("outcome of %s", txt).isEqualTo(want[0]);
    if (parsed.recordOrNull() == null) {
      return;
    }
    Map<String, String> got = tags(parsed.recordOrNull());
    for (int i = 1; i < want.length; i++) {
      String key = want[i].substring(0, want[i].indexOf('='));
      String value = want[i].substring(want[i].indexOf('=') + 1);
      assertThat(got.get(key)).as("%s in %s (problems %s)", key, txt, parsed.recordOrNull().problems()).isEqualTo(value);
    }
  }

  private static Map<String, String> tags(DmarcRecord r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("p", r.p() == null ? "-" : r.p().word());
    m.put("sp", r.sp() == null ? "-" : r.sp().word());
    m.put("np", r.np() == null ? "-" : r.np().word());
    m.put("psd", r.psd().tagValue());
    m.put("t", r.testing() ? "y" : "n");
    m.put("adkim", r.adkim().tagValue());
    m.put("aspf", r.aspf().tagValue());
    m.put("rua", r.rua().stream().map(ReportUri::toString).collect(Collectors.joining(",")));
    m.put("ruf", r.ruf().stream().map(ReportUri::toString).collect(Collectors.joining(",")));
    m.put("fo", r.fo());
    m.put("pct", Integer.toString(r.pct()));
    m.put("rf", r.rf());
    m.put("ri", Long.toString(r.ri()));
    m.put("problems", Integer.toString(r.problems().size()));
    return m;
  }

  @Test
  void rfc9989_4_8_invalidPolicyReasonNamesTheRule() {
    ParsedRecord p = DmarcRecord.parse("v=DMARC1; p=rejected");
    assertThat(p).isInstanceOfSatisfying(ParsedRecord.Invalid.class, i -> {
      assertThat(i.reason()).contains("invalid p=rejected").contains("no valid rua").contains("RFC 9989 4.10.1");
      assertThat(i.record().p()).isNull();
    });
  }

  @ParameterizedTest(name = "RFC 9989 4.8 dmarc-urilist: {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "two mailto URIs, WSP after the comma | mailto:a@example.com, mailto:b@example.net | mailto:a@example.com;-,mailto:b@example.net;- | 0",
    "RFC 7489 6.2 size suffix: 50m = 50 * 2^20 | mailto:reports@example.com!50m | mailto:reports@example.com;52428800 | 0",
    "size suffix without unit is bytes | mailto:r@example.com!1000 | mailto:r@example.com;1000 | 0",
    "size suffix k and t | mailto:r@example.com!2k,mailto:s@example.com!1t | mailto:r@example.com;2048,mailto:s@example.com;1099511627776 | 0",
    "size beyond a long saturates | mailto:r@example.com!99999999999999999999999t | mailto:r@example.com;9223372036854775807 | 0",
    "a bare ! is an invalid URI, the others stay | mailto:a@example.com!,mailto:b@example.com | mailto:b@example.com;- | 1",
    "bad size unit | mailto:a@example.com!10x | | 1",
    "no scheme | reports@example.com | | 1",
    "mailto without @ | mailto:reports | | 1",
    "mailto without local part | mailto:@example.com | | 1",
    "other schemes are kept for the reporter to ignore | https://report.example.com/dmarc | https://report.example.com/dmarc;- | 0",
    "percent-encoded comma stays in the URI | mailto:a%2Cb@example.com | mailto:a%2Cb@example.com;- | 0",
    "broken percent escape | mailto:a%2@example.com | | 1",
    "empty element between commas | mailto:a@example.com,,mailto:b@example.com | mailto:a@example.com;-,mailto:b@example.com;- | 1",
  })
  void reportUris(String name, String value, String expected, int problems) {
    ParsedRecord p = DmarcRecord.parse("v=DMARC1; p=none; rua=" + value);
    DmarcRecord r = p.recordOrNull();
    String got = r.rua().stream().map(u -> u.uri() + ";" + (u.maxSizeBytes() == null ? "-" : u.maxSizeBytes()))
        .collect(Collectors.joining(","));
    assertThat(got).isEqualTo(expected == null ? "" : expected);
    assertThat(r.problems()).hasSize(problems);
  }

  @Test
  void mailtoUriGivesItsDecodedMailbox() {
    ReportUri u = DmarcRecord.parse("v=DMARC1; p=none; rua=mailto:dmarc%2Breports@example.com?subject=x")
        .recordOrNull().rua().get(0);
    assertThat(u.isMailto()).isTrue();
    assertThat(u.scheme()).isEqualTo("mailto");
    assertThat(u.mailbox()).isEqualTo("dmarc+reports@example.com");
  }

  @Test
  void rfc9989_B_2_5_recordFromJoinedCharacterStrings() {
    // RFC 9989 4.5: the character-strings of a TXT record are concatenated before parsing.
    String txt = "v=DMARC1; p=quarantine; " + "rua=mailto:dmarc-feedback@example.com," + "mailto:tld-test@thirdparty.example.net; " + "t=y";
    DmarcRecord r = ((ParsedRecord.Valid) DmarcRecord.parse(txt)).record();
    assertThat(r.p()).isEqualTo(Policy.QUARANTINE);
    assertThat(r.testing()).isTrue();
    assertThat(r.rua()).extracting(ReportUri::mailbox)
        .containsExactly("dmarc-feedback@example.com", "tld-test@thirdparty.example.net");
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void hostileRecordGivesCappedProblemsNotACrash() {
    String txt = "v=DMARC1; p=reject; " + "bad tag;".repeat(20_000) + "rua=" + "x,".repeat(10_000);
    ParsedRecord p = DmarcRecord.parse(txt);
    DmarcRecord r = ((ParsedRecord.Valid) p).record();
    assertThat(r.p()).isEqualTo(Policy.REJECT);
    assertThat(r.problems()).hasSize(17).last().isEqualTo("(more problems not listed)");
    assertThat(r.problems()).allSatisfy(s -> assertThat(s.length()).isLessThan(120));
  }

  @Test
  void nullTextIsNotARecord() {
    assertThat(DmarcRecord.parse(null)).isInstanceOf(ParsedRecord.NotDmarc.class);
  }
}
