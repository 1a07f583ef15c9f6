package dev.mailgate.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DnsFixture: zone files and record lists read into an InMemoryResolver. */
class DnsFixtureTest {

  private static Path resource(String name) throws Exception {
    return Path.of(DnsFixtureTest.class.getResource("/dns/" + name).toURI());
  }

  private static InetAddress ip(String literal) {
    return InetAddresses.parse(literal);
  }

  @Nested
  class ZoneFile {
    private final InMemoryResolver dns;

    ZoneFile() throws Exception {
      dns = DnsFixture.load(resource("all-types.zone"));
    }

    @Test
    void txtStringsAreJoinedAtTheOrigin() throws Exception {
      assertThat(dns.txt("example.test"))
          .containsExactly("v=spf1 ip4:192.0.2.0/24 include:_spf.other.test -all");
    }

    @Test
    void multiLineTxtInParenthesesUnderARelativeName() throws Exception {
      assertThat(dns.txt("selector._domainkey.example.test")).containsExactly(
          "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3");
      assertThat(dns.txt("_dmarc.EXAMPLE.test.")).containsExactly("v=DMARC1; p=reject");
    }

    @Test
    void addressesOfBothFamilies() throws Exception {
      assertThat(dns.addresses("www.example.test"))
          .containsExactly(ip("192.0.2.80"), ip("192.0.2.81"), ip("2001:db8::80"));
      assertThat(dns.a("ns.example.test")).containsExactly(ip("192.0.2.53"));
    }

    @Test
    void mxWithRelativeAndAbsoluteTargets() throws Exception {
      assertThat(dns.mx("example.test"))
          .containsExactly(new MxHost(10, "mx1.example.test"), new MxHost(20, "mx2.other.test"));
      assertThat(dns.a("mx2.other.test")).containsExactly(ip("198.51.100.25"));
    }

    @Test
    void ptrUnderASecondOrigin() throws Exception {
      assertThat(dns.ptr(ip("192.0.2.80"))).containsExactly("www.example.test");
      assertThat(dns.ptr(ip("192.0.2.82"))).isEmpty();
    }

    @Test
    void cnameIsFollowed() throws Exception {
      assertThat(dns.a("alias.example.test")).containsExactly(ip("192.0.2.80"), ip("192.0.2.81"));
    }

    @Test
    void soaAndNsMakeANameExistWithoutAnswers() throws Exception {
      assertThat(dns.a("example.test")).isEmpty();
      assertThat(dns.txt("www.example.test")).isEmpty();
      assertThat(dns.txt("absent.example.test")).isEmpty();
    }

    @Test
    void timeoutDirectiveUsesTheOriginInForce() {
      assertThatThrownBy(() -> dns.txt("slow.example.test")).isInstanceOf(DnsTempFailure.class)
          .hasMessageContaining("timed out");
      assertThatThrownBy(() -> dns.a("slow.example.test")).isInstanceOf(DnsTempFailure.class);
      assertThatThrownBy(() -> dns.ptr(ip("192.0.2.99"))).isInstanceOf(DnsTempFailure.class);
    }

    @Test
    void servfailDirectiveForOneType() throws Exception {
      assertThatThrownBy(() -> dns.txt("broken.example.test")).isInstanceOf(DnsTempFailure.class)
          .hasMessageContaining("SERVFAIL");
      assertThat(dns.a("broken.example.test")).isEmpty();
    }
  }

  @Test
  void defaultOriginIsTheRootSoPlainNamesAreAbsolute() throws Exception {
    InMemoryResolver dns = DnsFixture.fromZoneFile("""
        example.test 300 IN TXT "no origin"
        host.example.test 300 A 192.0.2.1
        """, "inline");
    assertThat(dns.txt("example.test")).containsExactly("no origin");
    assertThat(dns.a("host.example.test")).containsExactly(ip("192.0.2.1"));
  }

  @Test
  void directivesAcceptAtAndAbsoluteNames() {
    InMemoryResolver dns = DnsFixture.fromZoneFile("""
        $ORIGIN example.test.
        ;! timeout @ MX
        ;! SERVFAIL other.test. a aaaa
        @ TXT "x"
        """, "inline");
    assertThatThrownBy(() -> dns.mx("example.test")).isInstanceOf(DnsTempFailure.class);
    assertThatThrownBy(() -> dns.addresses("other.test")).isInstanceOf(DnsTempFailure.class);
  }

  @Test
  void nonAsciiBytesStayOneCharPerByteAsOnTheWire() throws Exception {
    InMemoryResolver dns = DnsFixture.fromZoneFile("""
        raw.example.test. TXT "café" ; a raw UTF-8 é in the file
        esc.example.test. TXT "caf\\195\\169"
        mixed.example.test. TXT "\\é"
        """, "inline");
    String expected = new String("café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertThat(dns.txt("raw.example.test")).containsExactly(expected);
    assertThat(dns.txt("esc.example.test")).containsExactly(expected);
    assertThat(dns.txt("mixed.example.test")).containsExactly("\u00c3\u00a9");
    assertThat(DnsFixture.fromRecordList("raw.example.test TXT \"café\"\n", "inline").txt("raw.example.test"))
        .containsExactly(expected);
  }

  /** The fixture must answer what DnsjavaResolver reads from a server serving the same zone. */
  @Test
  void aFixtureAnswersLikeAServerServingTheSameZone() throws Exception {
    String zone = """
        $ORIGIN example.test.
        @        TXT  "v=spf1 " "-all"
        @        TXT  "second"
        latin    TXT  "\\255\\000x" "\\\\"
        host     A    192.0.2.1
        host     AAAA 2001:db8::1
        @        MX   5 host
        alias    CNAME host
        1.2.0.192.in-addr.arpa. PTR host
        """;
    InMemoryResolver fixture = DnsFixture.fromZoneFile(zone, "inline");
    try (TestDnsServer server = TestDnsServer.start(zone)) {
      DnsjavaResolver live = DnsjavaResolver.create(DnsjavaResolver.Options.builder()
          .servers(List.of(server.hostPort())).timeout(Duration.ofSeconds(5)).build());
      for (String name : List.of("example.test", "latin.example.test", "host.example.test", "alias.example.test",
          "absent.example.test")) {
        assertThat(live.txt(name)).as("TXT " + name).containsExactlyInAnyOrderElementsOf(fixture.txt(name));
        assertThat(live.addresses(name)).as("addresses " + name).containsExactlyElementsOf(fixture.addresses(name));
        assertThat(live.mx(name)).as("MX " + name).containsExactlyElementsOf(fixture.mx(name));
      }
      assertThat(live.ptr(ip("192.0.2.1"))).containsExactlyElementsOf(fixture.ptr(ip("192.0.2.1")));
      assertThat(fixture.txt("latin.example.test")).containsExactly("\u00ff\u0000x\\");
    }
  }

  @Nested
  class ZoneFileErrors {
    @ParameterizedTest(name = "line {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "'a.test. TXT \"ok\"\\nb.test. A 192.0.2\\n'                         | 2 | Invalid address",
        "'$ORIGIN x.test.\\n\\n\\nwww 300 IN BOGUS 1\\n'                       | 4 | Invalid type",
        "'a.test. TXT \"ok\"\\n;! timout a.test.\\n'                          | 2 | unknown fixture directive 'timout'",
        "'a.test. TXT \"ok\"\\n;! timeout\\n'                                 | 2 | needs a name",
        "'a.test. TXT \"ok\"\\n\\n;! servfail a.test. SPF\\n'                 | 3 | unknown record type 'SPF'",
        "'a.test. TXT \"ok\"\\nb.test. DNAME c.test.\\n'                      | 2 | DNAME",
        "'a.test. CNAME b.test.\\nx.test. A 192.0.2.1\\na.test. CNAME c.test.\\n' | 3 | second CNAME at a.test; the first is on line 1",
        "'a.test. CNAME b.test.\\n\\na.test. TXT \"x\"\\n'                     | 3 | CNAME and other data at a.test",
        "'a.test. TXT \"x\"\\na.test. CNAME b.test.\\n'                       | 2 | CNAME and other data at a.test",
        "'a.test. TXT \"ok\"\\n$INCLUDE other.zone\\n'                        | 2 | $INCLUDE",
        "'a.test. TXT \"ok\"\\na.test. CH TXT \"chaos\"\\n'                   | 2 | class CH",
        "'a.test. TXT \"ok\"\\nb.test. TXT \"unterminated\\n\\n'          | 2 | newline in quoted string",
        "'a.test. TXT \"ok\"\\nb.test. A\\n\\n'                           | 2 | expected an address",
        "'a.test. TXT \"ok\"\\nb.test. MX 10\\nc.test. A 192.0.2.1\\n'       | 2 | expected a name",
        "'a.test. TXT \"ok\"\\nb.test. A 192.0.2.1 extra\\n'                | 2 | unexpected tokens",
        "'a.test. TXT (\\n  \"ok\"\\n  )\\n; comment\\n\\nb.test. TXT \"x\" \"\\n' | 6 | newline in quoted string",
    })
    void errorsNameTheSourceAndLine(String text, int line, String detail) {
      String zone = text.replace("\\n", "\n");
      assertThatThrownBy(() -> DnsFixture.fromZoneFile(zone, "test.zone"))
          .isInstanceOf(DnsFixtureException.class)
          .hasMessageStartingWith("test.zone:" + line + ": ")
          .hasMessageContaining(detail)
          .satisfies(e -> {
            assertThat(((DnsFixtureException) e).line()).isEqualTo(line);
            assertThat(((DnsFixtureException) e).source()).isEqualTo("test.zone");
          });
    }

    @Test
    void aLongTxtStringIsRefusedByTheZoneParser() {
      String zone = "a.test. TXT \"ok\"\nb.test. TXT \"" + "x".repeat(256) + "\"\n";
      assertThatThrownBy(() -> DnsFixture.fromZoneFile(zone, "long.zone"))
          .isInstanceOf(DnsFixtureException.class).hasMessageStartingWith("long.zone:2: ");
    }
  }

  @Nested
  class RecordList {
    @Test
    void theRfc8463RecordsLoad() throws Exception {
      Path file = resource("rfc8463-dns-records.txt");
      assertThat(DnsFixture.looksLikeRecordList(Files.readAllBytes(file))).isTrue();
      InMemoryResolver dns = DnsFixture.load(file);
      assertThat(dns.txt("brisbane._domainkey.football.example.com"))
          .containsExactly("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
      assertThat(dns.txt("test._domainkey.football.example.com")).singleElement().asString()
          .startsWith("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTz")
          .endsWith("/K4w3QIDAQAB");
      assertThat(dns.txt("other._domainkey.football.example.com")).isEmpty();
    }

    @Test
    void pseudoTypesAndDirectives() throws Exception {
      InMemoryResolver dns = DnsFixture.load(resource("failures.txt"));
      assertThat(dns.txt("selector._domainkey.present.example")).singleElement().asString().startsWith("v=DKIM1;");
      assertThat(dns.txt("nonexistent._domainkey.gone.example")).isEmpty();
      assertThatThrownBy(() -> dns.txt("selector._domainkey.slow.example"))
          .isInstanceOf(DnsTempFailure.class).hasMessageContaining("timed out");
      assertThatThrownBy(() -> dns.txt("selector._domainkey.broken.example"))
          .isInstanceOf(DnsTempFailure.class).hasMessageContaining("SERVFAIL");
      assertThatThrownBy(() -> dns.txt("mixed.example")).isInstanceOf(DnsTempFailure.class);
      assertThat(dns.a("mixed.example")).containsExactly(ip("192.0.2.7"));
      assertThat(dns.aaaa("mixed.example")).isEmpty();
    }

    @Test
    void escapesAndEmptyValues() throws Exception {
      InMemoryResolver dns = DnsFixture.load(resource("failures.txt"));
      assertThat(dns.txt("quoted.example")).containsExactly("say \"hi\" \\ bye");
      assertThat(dns.txt("empty.example")).containsExactly("");
    }

    @Test
    void aValueLongerThanOneDnsStringIsFine() throws Exception {
      String value = "p=" + "A".repeat(600);
      InMemoryResolver dns = DnsFixture.parse("k.example TXT \"" + value + "\"\n", "inline");
      assertThat(dns.txt("k.example")).containsExactly(value);
    }

    @Test
    void otherTypesAndCrlfLineEnds() throws Exception {
      InMemoryResolver dns = DnsFixture.fromRecordList(
          "h.example A 192.0.2.1\r\nh.example AAAA 2001:db8::1\r\nd.example MX 10 h.example\r\n"
              + "n.example MX 0 .\r\nc.example CNAME h.example.\r\n1.2.0.192.in-addr.arpa PTR h.example\r\n"
              + "t.example TXT \"a\" \"b\"\r\n",
          "inline");
      assertThat(dns.addresses("c.example")).containsExactly(ip("192.0.2.1"), ip("2001:db8::1"));
      assertThat(dns.mx("d.example")).containsExactly(new MxHost(10, "h.example"));
      assertThat(dns.mx("n.example")).containsExactly(new MxHost(0, ""));
      assertThat(dns.ptr(ip("192.0.2.1"))).containsExactly("h.example");
      assertThat(dns.txt("t.example")).containsExactly("ab");
    }

    @ParameterizedTest(name = "line {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "'a.example TXT \"ok\"\\nb.example TXTT \"x\"\\n'           | 2 | unknown type 'TXTT'",
        "'a.example TXT \"ok\"\\nb.example TXT \"open\\n'           | 2 | no closing double quote",
        "'a.example TXT \"ok\"\\nb.example TXT bare\\n'             | 2 | must be in double quotes",
        "'a.example TXT \"ok\"\\nb.example TXT \"a\\\\tb\"\\n'        | 2 | only",
        "'a.example TXT \"ok\"\\nb.example TXT\\n'                  | 2 | needs a value",
        "'a.example NXDOMAIN\\n\\na.example TXT \"x\"\\n'            | 3 | listed as NXDOMAIN on line 1",
        "'a.example TIMEOUT\\na.example NXDOMAIN\\n'               | 2 | listed as NXDOMAIN but has entries (line 1)",
        "'a.example NXDOMAIN now\\n'                              | 1 | takes no value",
        "'a.example A 2001:db8::1\\n'                             | 1 | IPv4",
        "'a.example AAAA 192.0.2.1\\n'                            | 1 | IPv6",
        "'a.example MX ten a.example\\n'                          | 1 | MX needs",
        "'a.example MX 70000 b.example\\n'                        | 1 | MX needs",
        "'a.example CNAME b.example\\na.example CNAME c.example\\n' | 2 | second CNAME",
        "'a..example TXT \"x\"\\n'                                | 1 | not a domain name",
        "'a.example TXT \"ok\"\\n;! stall a.example\\n'             | 2 | unknown fixture directive",
    })
    void errorsNameTheSourceAndLine(String text, int line, String detail) {
      String list = text.replace("\\n", "\n").replace("\\\\", "\\");
      assertThatThrownBy(() -> DnsFixture.fromRecordList(list, "records.txt"))
          .isInstanceOf(DnsFixtureException.class)
          .hasMessageStartingWith("records.txt:" + line + ": ")
          .hasMessageContaining(detail);
    }

    @Test
    void anIndentedLineIsAnError() {
      assertThatThrownBy(() -> DnsFixture.fromRecordList("a.example TXT \"x\"\n  b.example TXT \"y\"\n", "r.txt"))
          .isInstanceOf(DnsFixtureException.class).hasMessageStartingWith("r.txt:2: ");
    }
  }

  @Nested
  class FormatDetection {
    @Test
    void zoneShapedTextIsAZoneFile() throws Exception {
      InMemoryResolver dns = DnsFixture.parse("$TTL 60\na.example. 60 IN TXT \"zone\"\n", "z");
      assertThat(dns.txt("a.example")).containsExactly("zone");
    }

    @Test
    void recordListShapedTextThatOnlyAZoneFileReads() throws Exception {
      // Unquoted TXT and a \DDD escape are zone-file syntax only.
      InMemoryResolver dns = DnsFixture.parse("a.example TXT bare\nb.example TXT \"\\065\"\n", "z");
      assertThat(dns.txt("a.example")).containsExactly("bare");
      assertThat(dns.txt("b.example")).containsExactly("A");
    }

    @Test
    void whenNeitherReadsTheRecordListErrorIsReported() {
      assertThatThrownBy(() -> DnsFixture.parse("a.example TXT \"x\"\nb.example NXDOMAIN\nc.example TXT \"open\n", "r"))
          .isInstanceOf(DnsFixtureException.class).hasMessage("r:3: TXT value has no closing double quote");
    }

    @Test
    void aZoneFileErrorInAZoneShapedText() {
      assertThatThrownBy(() -> DnsFixture.parse("$ORIGIN example.\n\nwww A 192.0.2.300\n", "z.zone"))
          .isInstanceOf(DnsFixtureException.class).hasMessageStartingWith("z.zone:3: ");
    }

    @Test
    void anEmptyFileIsAnEmptyResolver() throws Exception {
      assertThat(DnsFixture.parse("", "empty").txt("a.example")).isEmpty();
      assertThat(DnsFixture.parse("# nothing\n", "empty").txt("a.example")).isEmpty();
    }
  }

  @Test
  void aMissingFileIsAnIoException() {
    assertThatThrownBy(() -> DnsFixture.load(Path.of("/nonexistent/fixture.zone")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theBuilderCanTakeMoreAndLogNothing() throws Exception {
    InMemoryResolver dns = DnsFixture.builder("a.example TXT \"x\"\n".getBytes(StandardCharsets.UTF_8), "b")
        .txt("b.example", "y").logQueries(false).build();
    assertThat(dns.txt("a.example")).containsExactly("x");
    assertThat(dns.txt("b.example")).containsExactly("y");
    assertThat(dns.queries()).isEmpty();
  }

  /** The two examples in docs/DNS-FIXTURE.md load and mean what the page says. */
  @Test
  void theDocumentedExamplesLoad() throws Exception {
    String page = Files.readString(Path.of("docs/DNS-FIXTURE.md"));
    String[] blocks = page.split("```");
    InMemoryResolver zone = DnsFixture.parse(blocks[1], "zone example");
    assertThat(zone.mx("sender.example")).containsExactly(new MxHost(10, "mx1.sender.example"));
    assertThat(zone.addresses("www.sender.example")).containsExactly(ip("192.0.2.25"), ip("2001:db8::25"));
    assertThat(zone.txt("s1._domainkey.sender.example")).singleElement().asString().startsWith("v=DKIM1; k=rsa; p=");
    assertThat(zone.ptr(ip("192.0.2.25"))).containsExactly("mx1.sender.example");
    assertThatThrownBy(() -> zone.txt("slow.sender.example")).isInstanceOf(DnsTempFailure.class);
    assertThatThrownBy(() -> zone.txt("_dmarc.broken.sender.example")).isInstanceOf(DnsTempFailure.class);

    String list = blocks[3];
    assertThat(DnsFixture.looksLikeRecordList(list.getBytes(StandardCharsets.UTF_8))).isTrue();
    InMemoryResolver records = DnsFixture.parse(list, "record list example");
    assertThat(records.txt("quoted.example")).containsExactly("a \"quoted\" word and a backslash \\");
    assertThat(records.a("alias.example")).containsExactly(ip("192.0.2.1"));
    assertThatThrownBy(() -> records.txt("test3._domainkey.blackhole.messiah.edu")).isInstanceOf(DnsTempFailure.class);

    String directives = blocks[5];
    assertThat(directives).contains(";! timeout  NAME [TYPE...]");
  }
}
