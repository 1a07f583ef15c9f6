package dev.mailgate.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Public Suffix List reader against the list's official test file (conformance/psl/test_psl.txt,
 * all 78 active checks), plus what RFC 7489 section 3.2 needs from it.
 */
class PublicSuffixListTest {
  private static final String DIR = "/conformance/psl/";
  private static final Pattern CHECK = Pattern.compile(
      "^checkPublicSuffix\\((null|'([^']*)'), (null|'([^']*)')\\);\\s*$");
  private static PublicSuffixList list;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PublicSuffixListTest.class.getResourceAsStream(DIR + "public_suffix_list.dat")) {
      list = PublicSuffixList.parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
  }

  record Check(int line, String domain, String expected) {}

  static List<Check> checks() throws IOException {
    List<Check> out = new ArrayList<>();
    try (InputStream in = PublicSuffixListTest.class.getResourceAsStream(DIR + "test_psl.txt")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("//")) {
          continue; // comments, including the 4 checks the file itself comments out (".local")
        }
        Matcher m = CHECK.matcher(line);
        assertThat(m.matches()).as("line %d is a check: %s", i + 1, line).isTrue();
        out.add(new Check(i + 1, m.group(2), m.group(4)));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> testPsl() throws IOException {
    List<Check> checks = checks();
    assertThat(checks).hasSize(78);
    return checks.stream().map(c -> dynamicTest(
        "test_psl.txt:" + c.line() + " checkPublicSuffix(" + quote(c.domain()) + ", " + quote(c.expected()) + ")",
        () -> assertThat(list.registrableDomain(c.domain())).isEqualTo(c.expected())));
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  @ParameterizedTest(name = "public suffix of {0} is {1}")
  @CsvSource({
    "www.example.com, com",
    "a.b.example.co.uk, co.uk",
    "b.test.ck, test.ck",
    "www.ck, ck",
    "city.kobe.jp, kobe.jp",
    "example, example",
    "食狮.公司.cn, 公司.cn",
  })
  void publicSuffix(String domain, String suffix) {
    assertThat(list.publicSuffix(domain)).isEqualTo(suffix);
  }

  @ParameterizedTest(name = "RFC 7489 3.2: Organizational Domain of {0} is {1}")
  @CsvSource({
    "a.b.c.d.example.com, example.com",
    "news.example.co.uk, example.co.uk",
    "example.com., example.com",
    "co.uk, co.uk",
    "com, com",
    "xn--85x722f.xn--fiqs8s, xn--85x722f.xn--fiqs8s",
  })
  void rfc7489_3_2_organizationalDomain(String domain, String org) {
    assertThat(list.organizationalDomain(domain)).isEqualTo(org);
  }

  @ParameterizedTest(name = "unusable input {0} gives null")
  @CsvSource(quoteCharacter = '`', value = {"``", "a..example.com", ".", "`   `"})
  void unusableInput(String domain) {
    assertThat(list.registrableDomain(domain)).isNull();
    assertThat(list.organizationalDomain(domain)).isNull();
  }

  @Test
  void privateSectionCanBeLeftOut() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(DIR + "public_suffix_list.dat")) {
      PublicSuffixList icann = PublicSuffixList.parse(new InputStreamReader(in, StandardCharsets.UTF_8), false);
      // uk.com is a PRIVATE-section rule (CentralNic); without it, uk.com is an ordinary .com name.
      assertThat(list.registrableDomain("b.example.uk.com")).isEqualTo("example.uk.com");
      assertThat(icann.registrableDomain("b.example.uk.com")).isEqualTo("uk.com");
      assertThat(icann.size()).isLessThan(list.size());
    }
  }

  @Test
  void smallListFromText() {
    PublicSuffixList l = PublicSuffixList.parse("// comment\ncom\n*.kawasaki.jp\n!city.kawasaki.jp  trailing words\n\n");
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.registrableDomain("a.b.kawasaki.jp")).isEqualTo("a.b.kawasaki.jp");
    assertThat(l.registrableDomain("b.kawasaki.jp")).isNull();
    assertThat(l.registrableDomain("www.city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
  }

  @Test
  void bundledCopyIsTheConformanceCopy() {
    PublicSuffixList bundled = PublicSuffixList.bundled();
    assertThat(bundled).isSameAs(PublicSuffixList.bundled());
    assertThat(bundled.size()).isEqualTo(list.size()).isGreaterThan(9000);
  }
}
