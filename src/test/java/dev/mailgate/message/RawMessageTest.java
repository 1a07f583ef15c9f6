package dev.mailgate.message;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RawMessageTest {

  /** The word-at-a-time scan agrees with the obvious byte loop at every length, offset and mix of CR/LF. */
  @Test
  void bareLfScanAgreesWithTheByteLoop() {
    Random rnd = new Random(7);
    byte[] alphabet = {'\r', '\n', 'a', ' ', (byte) 0x8a, (byte) 0x8d, 0x0b};
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] b = new byte[rnd.nextInt(40)];
      // Mostly CRLF pairs and text, so that bare LFs are rare and land on every position of a word.
      for (int i = 0; i < b.length; i++) {
        b[i] = alphabet[rnd.nextInt(alphabet.length)];
        if (b[i] == '\n' && i > 0 && rnd.nextInt(4) != 0) {
          b[i - 1] = '\r';
        }
      }
      boolean expected = false;
      for (int i = 0; i < b.length; i++) {
        expected |= b[i] == '\n' && (i == 0 || b[i - 1] != '\r');
      }
      assertThat(RawMessage.hasBareLf(b)).as(Arrays.toString(b)).isEqualTo(expected);
    }
  }

  private static RawMessage parse(String latin1) {
    return RawMessage.parse(latin1.getBytes(ISO_8859_1));
  }

  private static String body(RawMessage m) throws IOException {
    return new String(m.body().readAllBytes(), ISO_8859_1);
  }

  private static List<String> names(RawMessage m) {
    return m.headers().stream().map(HeaderField::name).toList();
  }

  @Test
  void rfc5322_2_1_crlfMessageIsKeptAsIsWithoutCopy() throws IOException {
    byte[] in = "From: a@example.com\r\nTo: b@example.com\r\n\r\nHello\r\n".getBytes(ISO_8859_1);
    RawMessage m = RawMessage.parse(in);
    assertThat(m.bytes()).isSameAs(in);
    assertThat(m.convertedBareLf()).isFalse();
    assertThat(names(m)).containsExactly("From", "To");
    assertThat(m.hasHeaderSeparator()).isTrue();
    assertThat(m.bodyOffset()).isEqualTo(42);
    assertThat(body(m)).isEqualTo("Hello\r\n");
    assertThat(m.size()).isEqualTo(in.length);
    assertThat(m.bodyLength()).isEqualTo(7);
  }

  @Test
  void bareLfIsConvertedToCrlfAtParse() throws IOException {
    RawMessage m = parse("From: a@example.com\nSubject: hi\n\nline1\nline2\n");
    assertThat(m.convertedBareLf()).isTrue();
    assertThat(new String(m.bytes(), ISO_8859_1))
        .isEqualTo("From: a@example.com\r\nSubject: hi\r\n\r\nline1\r\nline2\r\n");
    assertThat(m.bodyOffset()).isEqualTo("From: a@example.com\r\nSubject: hi\r\n\r\n".length());
    assertThat(body(m)).isEqualTo("line1\r\nline2\r\n");
    assertThat(m.headers().get(1).raw()).isEqualTo("Subject: hi");
  }

  @Test
  void mixedLineEndingsAllBecomeCrlf() throws IOException {
    RawMessage m = parse("A: 1\r\nB: 2\n folded\r\n\nbody\rstill one line\nend\r\n");
    assertThat(m.convertedBareLf()).isTrue();
    assertThat(new String(m.bytes(), ISO_8859_1))
        .isEqualTo("A: 1\r\nB: 2\r\n folded\r\n\r\nbody\rstill one line\r\nend\r\n");
    assertThat(m.headers()).extracting(HeaderField::raw).containsExactly("A: 1", "B: 2\r\n folded");
    assertThat(m.bodyOffset()).isEqualTo("A: 1\r\nB: 2\r\n folded\r\n\r\n".length());
    assertThat(body(m)).isEqualTo("body\rstill one line\r\nend\r\n");
  }

  @Test
  void rfc5322_2_2_3_foldedFieldKeptByteExact() {
    String field = "Subject: a long\r\n \tsubject\r\n  with  folding ";
    RawMessage m = parse(field + "\r\nX: y\r\n\r\n");
    HeaderField f = m.headers().get(0);
    assertThat(f.raw()).isEqualTo(field);
    assertThat(f.value()).isEqualTo(" a long\r\n \tsubject\r\n  with  folding ");
    assertThat(f.unfoldedValue()).isEqualTo("a long \tsubject  with  folding");
    assertThat(m.headers().get(1).raw()).isEqualTo("X: y");
  }

  @Test
  void rfc5322_3_6_headerOrderAndDuplicatesKept() {
    RawMessage m =
        parse("Received: 3\r\nDKIM-Signature: s1\r\nreceived: 2\r\nFrom: x\r\nRECEIVED: 1\r\n\r\n");
    assertThat(names(m)).containsExactly("Received", "DKIM-Signature", "received", "From", "RECEIVED");
    assertThat(m.headers("Received")).extracting(HeaderField::raw)
        .containsExactly("Received: 3", "received: 2", "RECEIVED: 1");
    assertThat(m.header("rEcEiVeD")).get().extracting(HeaderField::raw).isEqualTo("Received: 3");
    assertThat(m.header("Subject")).isEmpty();
    assertThat(m.headers("Subject")).isEmpty();
  }

  @Test
  void rfc5322_4_5_3_obsoleteBlanksBeforeColon() {
    RawMessage m = parse("Subject \t: hello\r\nFrom : a@example.com\r\n\r\n");
    assertThat(names(m)).containsExactly("Subject", "From");
    assertThat(m.header("from")).get().extracting(HeaderField::unfoldedValue).isEqualTo("a@example.com");
    assertThat(m.headers().get(0).raw()).isEqualTo("Subject \t: hello");
  }

  @Test
  void mboxFromLineIsSkippedButStaysInBytes() throws IOException {
    String in = "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\r\nFrom: a@example.com\r\n\r\nbody";
    RawMessage m = parse(in);
    assertThat(names(m)).containsExactly("From");
    assertThat(m.headers().get(0).raw()).isEqualTo("From: a@example.com");
    assertThat(new String(m.bytes(), ISO_8859_1)).isEqualTo(in);
    assertThat(m.bodyOffset()).isEqualTo(in.length() - 4);
    assertThat(body(m)).isEqualTo("body");
  }

  @ParameterizedTest(name = "RFC 5322 4.5.3: first line \"{0}\" is a From field, not an mbox line")
  @ValueSource(strings = {"From : attacker@example.com", "From\t: attacker@example.com",
      "From  \t : attacker@example.com"})
  void obsoleteFromFieldOnFirstLineIsNotMistakenForMboxLine(String line) {
    RawMessage m = parse(line + "\r\nTo: b@example.com\r\n\r\n");
    assertThat(names(m)).containsExactly("From", "To");
    assertThat(m.header("From")).get().extracting(HeaderField::unfoldedValue)
        .isEqualTo("attacker@example.com");
  }

  @Test
  void emptyInput() throws IOException {
    RawMessage m = RawMessage.parse(new byte[0]);
    assertThat(m.headers()).isEmpty();
    assertThat(m.bodyOffset()).isZero();
    assertThat(m.bodyLength()).isZero();
    assertThat(m.hasHeaderSeparator()).isFalse();
    assertThat(body(m)).isEmpty();
  }

  @Test
  void nullInputIsAProgrammingError() {
    assertThatNullPointerException().isThrownBy(() -> RawMessage.parse(null));
  }

  @Test
  void loneCrAtEndOfInputIsNotAnEmptyLine() throws IOException {
    RawMessage m = parse("A: b\r\n\r");
    assertThat(names(m)).containsExactly("A");
    assertThat(m.hasHeaderSeparator()).isFalse();
    assertThat(m.bodyOffset()).isEqualTo(6);
    assertThat(body(m)).isEqualTo("\r");
  }

  @Test
  void separatorOnly() {
    RawMessage m = parse("\r\n");
    assertThat(m.headers()).isEmpty();
    assertThat(m.hasHeaderSeparator()).isTrue();
    assertThat(m.bodyOffset()).isEqualTo(2);
  }

  @Test
  void emptyHeaderSectionThenBody() throws IOException {
    RawMessage m = parse("\r\nFrom: not a header\r\n");
    assertThat(m.headers()).isEmpty();
    assertThat(m.hasHeaderSeparator()).isTrue();
    assertThat(body(m)).isEqualTo("From: not a header\r\n");
  }

  @ParameterizedTest(name = "header only, no empty line: {0}")
  @ValueSource(strings = {"A: 1\r\nB: 2", "A: 1\r\nB: 2\r\n", "A: 1\r\nB: 2\r\n folded"})
  void headerOnlyMessageWithoutSeparator(String in) {
    RawMessage m = parse(in);
    assertThat(names(m)).containsExactly("A", "B");
    assertThat(m.hasHeaderSeparator()).isFalse();
    assertThat(m.bodyOffset()).isEqualTo(in.length());
    assertThat(m.bodyLength()).isZero();
  }

  @Test
  void headerOnlyWithTrailingCrlfConvertedFromLf() {
    RawMessage m = parse("A: 1\nB: 2\n");
    assertThat(m.headers()).extracting(HeaderField::raw).containsExactly("A: 1", "B: 2");
    assertThat(m.bodyOffset()).isEqualTo("A: 1\r\nB: 2\r\n".length());
    assertThat(m.hasHeaderSeparator()).isFalse();
  }

  @ParameterizedTest(name = "RFC 5322 3.6.8: \"{0}\" is not a field, the body starts there")
  @ValueSource(strings = {"not a header line", "X Bad: space in name", ": empty name", "\u00e9t\u00e9: 8-bit name",
      "X\u0000Y: NUL in name", "X\u007fY: DEL in name"})
  void nonFieldLineEndsTheHeaderSection(String line) throws IOException {
    String head = "A: 1\r\n";
    String rest = line + "\r\nFrom: hidden@example.com\r\n\r\nbody\r\n";
    RawMessage m = parse(head + rest);
    assertThat(names(m)).containsExactly("A");
    assertThat(m.hasHeaderSeparator()).isFalse();
    assertThat(m.bodyOffset()).isEqualTo(head.length());
    assertThat(body(m)).isEqualTo(rest);
  }

  @Test
  void rfc5322_3_6_8_anyPrintableAsciiButColonIsFtext() {
    RawMessage m = parse("A: 1\r\n[odd]~name!: 2\r\nX-Empty:\r\n\r\n");
    assertThat(names(m)).containsExactly("A", "[odd]~name!", "X-Empty");
    assertThat(m.headers().get(2).unfoldedValue()).isEmpty();
  }

  @Test
  void continuationLineBeforeAnyFieldIsBody() {
    RawMessage m = parse(" starts with a blank\r\nA: 1\r\n\r\n");
    assertThat(m.headers()).isEmpty();
    assertThat(m.bodyOffset()).isZero();
    assertThat(m.hasHeaderSeparator()).isFalse();
  }

  @Test
  void rfc5322_4_2_blankOnlyLineIsObsoleteFoldingNotTheSeparator() {
    RawMessage m = parse("A: 1\r\n   \r\nB: 2\r\n\r\nbody");
    assertThat(m.headers()).extracting(HeaderField::raw).containsExactly("A: 1\r\n   ", "B: 2");
    assertThat(m.bodyOffset()).isEqualTo("A: 1\r\n   \r\nB: 2\r\n\r\n".length());
  }

  @Test
  void nulsAndLoneCrsStayInRawValues() {
    RawMessage m = parse("A: x\u0000y\r\nB: one\rtwo\r\nC: end\r\r\n\r\nbody");
    assertThat(m.headers()).extracting(HeaderField::raw)
        .containsExactly("A: x\u0000y", "B: one\rtwo", "C: end\r");
    // Unfolding for display drops every CR and LF, lone ones included.
    assertThat(m.headers().get(1).unfoldedValue()).isEqualTo("onetwo");
    assertThat(m.bodyOffset()).isEqualTo("A: x\u0000y\r\nB: one\rtwo\r\nC: end\r\r\n\r\n".length());
  }

  @Test
  void rfc6532_utf8HeaderValueDecodedByText() {
    String value = "Gr\u00fc\u00dfe aus K\u00f6ln \ud83d\ude00 \u65e5\u672c";
    byte[] in = ("Subject: " + value + "\r\n\r\n").getBytes(UTF_8);
    RawMessage m = RawMessage.parse(in);
    HeaderField f = m.headers().get(0);
    assertThat(f.text()).isEqualTo(value);
    // raw keeps one char per byte, so it is longer than the decoded text and round-trips to the bytes.
    assertThat(f.raw().getBytes(ISO_8859_1)).isEqualTo(Arrays.copyOf(in, in.length - 4));
    assertThat(m.bodyOffset()).isEqualTo(in.length);
  }

  @Test
  void invalidUtf8InHeaderGivesReplacementCharactersNotAnException() {
    byte[] in = "Subject: a\u00ffb\r\n\r\n".getBytes(ISO_8859_1);
    assertThat(RawMessage.parse(in).headers().get(0).text()).isEqualTo("a\ufffdb");
  }

  @Test
  void thirtyMegabyteCrlfBodyIsNotCopied() throws IOException {
    String head = "From: a@example.com\r\nSubject: big\r\n\r\n";
    int bodySize = 30 * 1024 * 1024;
    byte[] in = new byte[head.length() + bodySize];
    System.arraycopy(head.getBytes(ISO_8859_1), 0, in, 0, head.length());
    for (int i = head.length(); i < in.length; i += 78) {
      Arrays.fill(in, i, Math.min(i + 76, in.length), (byte) 'x');
      if (i + 77 < in.length) {
        in[i + 76] = '\r';
        in[i + 77] = '\n';
      }
    }
    RawMessage m = RawMessage.parse(in);
    assertThat(m.bytes()).isSameAs(in);
    assertThat(m.convertedBareLf()).isFalse();
    assertThat(m.bodyOffset()).isEqualTo(head.length());
    assertThat(m.bodyLength()).isEqualTo(bodySize);
    assertThat(m.body().skip(Long.MAX_VALUE)).isEqualTo(bodySize);
  }

  @Test
  void thirtyMegabyteBareLfBodyIsConvertedOnce() {
    String head = "From: a@example.com\n\n";
    int lines = 30 * 1024 * 1024 / 64;
    byte[] in = new byte[head.length() + lines * 64];
    System.arraycopy(head.getBytes(ISO_8859_1), 0, in, 0, head.length());
    for (int l = 0; l < lines; l++) {
      int at = head.length() + l * 64;
      Arrays.fill(in, at, at + 63, (byte) 'y');
      in[at + 63] = '\n';
    }
    RawMessage m = RawMessage.parse(in);
    assertThat(m.convertedBareLf()).isTrue();
    assertThat(m.size()).isEqualTo(in.length + lines + 2);
    assertThat(m.bodyOffset()).isEqualTo(head.length() + 2);
    assertThat(RawMessage.hasBareLf(m.bytes())).isFalse();
  }

  @ParameterizedTest(name = "random bytes, seed {0}")
  @CsvSource({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"})
  void randomBytesNeverThrowAndKeepInvariants(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 200; round++) {
      byte[] in = new byte[r.nextInt(600)];
      // Mix pure noise with header-ish bytes so that both paths of the parser get exercised.
      byte[] alphabet = "AB: \r\n\t\u0000\u00ffFrom x".getBytes(ISO_8859_1);
      for (int i = 0; i < in.length; i++) {
        in[i] = r.nextBoolean() ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
      }
      assertInvariants(RawMessage.parse(in));
    }
  }

  /** Fields lie in the bytes in order, without overlap, before the body; no bare LF survives. */
  private static void assertInvariants(RawMessage m) {
    byte[] b = m.bytes();
    assertThat(RawMessage.hasBareLf(b)).isFalse();
    assertThat(m.bodyOffset()).isBetween(0, b.length);
    String all = new String(b, ISO_8859_1);
    int from = 0;
    for (HeaderField f : m.headers()) {
      int at = all.indexOf(f.raw(), from);
      assertThat(at).as("field %s at or after %d", f.raw(), from).isGreaterThanOrEqualTo(from);
      assertThat(f.name()).isNotEmpty();
      assertThat(f.raw()).doesNotEndWith("\r\n");
      assertThat(f.text()).isNotNull();
      from = at + f.raw().length();
    }
    assertThat(m.bodyOffset()).isGreaterThanOrEqualTo(from);
  }
}
