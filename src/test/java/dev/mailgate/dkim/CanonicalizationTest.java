package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalizationTest {

  private static String body(Canonicalization c, String in) {
    return body(c, in, Integer.MAX_VALUE);
  }

  /** Canonicalizes {@code in} fed in chunks of at most {@code chunk} bytes. */
  private static String body(Canonicalization c, String in, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BodyCanonicalizer bc = c.newBodyCanonicalizer(out::write);
    byte[] b = in.getBytes(StandardCharsets.ISO_8859_1);
    for (int off = 0; off < b.length; off += chunk) {
      bc.update(b, off, Math.min(chunk, b.length - off));
    }
    bc.finish();
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  // RFC 6376 section 3.4.5, example message: "A: <SP> X <CRLF> B <SP> : <SP> Y <HTAB><CRLF> <HTAB> Z <SP><SP><CRLF>"
  private static final String FIELD_A = "A: X";
  private static final String FIELD_B = "B : Y\t\r\n\tZ  ";
  private static final String BODY = " C \r\nD \t E\r\n\r\n\r\n";

  @Test
  void rfc6376_3_4_5_example1_relaxedHeader() {
    assertThat(Canonicalization.RELAXED.canonicalizeHeader(FIELD_A)).isEqualTo("a:X");
    assertThat(Canonicalization.RELAXED.canonicalizeHeader(FIELD_B)).isEqualTo("b:Y Z");
  }

  @Test
  void rfc6376_3_4_5_example1_relaxedBody() {
    assertThat(body(Canonicalization.RELAXED, BODY)).isEqualTo(" C\r\nD E\r\n");
  }

  @Test
  void rfc6376_3_4_5_example2_simpleHeaderAndBody() {
    assertThat(Canonicalization.SIMPLE.canonicalizeHeader(FIELD_A)).isEqualTo(FIELD_A);
    assertThat(Canonicalization.SIMPLE.canonicalizeHeader(FIELD_B)).isEqualTo(FIELD_B);
    assertThat(body(Canonicalization.SIMPLE, BODY)).isEqualTo(" C \r\nD \t E\r\n");
  }

  @Test
  void rfc6376_3_4_5_example3_relaxedHeaderSimpleBody() {
    assertThat(Canonicalization.RELAXED.canonicalizeHeader(FIELD_B)).isEqualTo("b:Y Z");
    assertThat(body(Canonicalization.SIMPLE, BODY)).isEqualTo(" C \r\nD \t E\r\n");
  }

  @Test
  void rfc6376_3_4_3_emptyBodySimpleIsOneCrlfWithTheRfcHash() throws Exception {
    assertThat(body(Canonicalization.SIMPLE, "")).isEqualTo("\r\n");
    BodyHash h = BodyHasher.hash(Canonicalization.SIMPLE, MessageDigest.getInstance("SHA-256"), BodyHasher.NO_LIMIT,
        new byte[0], 0, 0);
    assertThat(Base64.getEncoder().encodeToString(h.digest())).isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
    assertThat(h.canonicalLength()).isEqualTo(2);
  }

  @Test
  void rfc6376_3_4_4_emptyBodyRelaxedIsEmptyWithTheRfcHash() throws Exception {
    assertThat(body(Canonicalization.RELAXED, "")).isEmpty();
    BodyHash h = BodyHasher.hash(Canonicalization.RELAXED, MessageDigest.getInstance("SHA-256"), BodyHasher.NO_LIMIT,
        new byte[0], 0, 0);
    assertThat(Base64.getEncoder().encodeToString(h.digest())).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    assertThat(h.canonicalLength()).isZero();
  }

  static Stream<Arguments> bodyEdgeCases() {
    return Stream.of(
        // name, input, simple, relaxed
        Arguments.of("only empty lines", "\r\n\r\n\r\n", "\r\n", ""),
        Arguments.of("whitespace-only lines at the end", "a\r\n \t\r\n  \r\n", "a\r\n \t\r\n  \r\n", "a\r\n"),
        Arguments.of("whitespace-only body", " \t ", " \t \r\n", ""),
        Arguments.of("no trailing CRLF", "a  b ", "a  b \r\n", "a b\r\n"),
        Arguments.of("empty line between content kept", "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n"),
        Arguments.of("whitespace-only line between content", "a\r\n \r\nb", "a\r\n \r\nb\r\n", "a\r\n\r\nb\r\n"),
        Arguments.of("leading whitespace becomes one SP", "\t\t x", "\t\t x\r\n", " x\r\n"),
        Arguments.of("lone CR is content", "a\rb\r\n", "a\rb\r\n", "a\rb\r\n"),
        Arguments.of("CR at the very end", "a\r", "a\r\r\n", "a\r\r\n"),
        Arguments.of("8-bit bytes are content", "\u00e9t\u00e9 \u00ff\r\n", "\u00e9t\u00e9 \u00ff\r\n", "\u00e9t\u00e9 \u00ff\r\n"),
        Arguments.of("single CRLF", "\r\n", "\r\n", ""));
  }

  @ParameterizedTest(name = "RFC 6376 3.4.3/3.4.4 edge case: {0}")
  @MethodSource("bodyEdgeCases")
  void bodyEdgeCases(String name, String input, String simple, String relaxed) {
    assertThat(body(Canonicalization.SIMPLE, input)).isEqualTo(simple);
    assertThat(body(Canonicalization.RELAXED, input)).isEqualTo(relaxed);
    // And the same when fed one byte at a time (CRLF pairs split across chunks).
    assertThat(body(Canonicalization.SIMPLE, input, 1)).isEqualTo(simple);
    assertThat(body(Canonicalization.RELAXED, input, 1)).isEqualTo(relaxed);
  }

  static Stream<Arguments> headerCases() {
    return Stream.of(
        Arguments.of("name lower-cased, value case kept", "SUBJect: AbC", "subject:AbC"),
        Arguments.of("WSP around the colon removed", "Subject \t:\t  x", "subject:x"),
        Arguments.of("unfolded, WSP at a fold reduced", "Subject: a\r\n  \t b", "subject:a b"),
        Arguments.of("trailing WSP removed", "To: x  \t", "to:x"),
        Arguments.of("empty value", "X-Empty:", "x-empty:"),
        Arguments.of("whitespace-only value", "X-Empty:  \r\n ", "x-empty:"),
        Arguments.of("8-bit bytes kept", "Subject: \u00e9t\u00e9", "subject:\u00e9t\u00e9"));
  }

  @ParameterizedTest(name = "RFC 6376 3.4.2 relaxed header: {0}")
  @MethodSource("headerCases")
  void relaxedHeader(String name, String raw, String expected) {
    assertThat(Canonicalization.RELAXED.canonicalizeHeader(raw)).isEqualTo(expected);
    assertThat(Canonicalization.SIMPLE.canonicalizeHeader(raw)).isEqualTo(raw);
  }

  @Test
  void bodyLengthLimitHashesAPrefixAndCountsTheWhole() throws Exception {
    byte[] body = "abc\r\ndef\r\n".getBytes(StandardCharsets.US_ASCII);
    BodyHash h = BodyHasher.hash(Canonicalization.SIMPLE, MessageDigest.getInstance("SHA-256"), 5, body, 0, body.length);
    assertThat(h.canonicalLength()).isEqualTo(10);
    assertThat(h.hashedLength()).isEqualTo(5);
    assertThat(h.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest("abc\r\n".getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The streaming canonicalizers against a plain string implementation of RFC 6376 sections 3.4.3 and
   * 3.4.4, over random bodies fed in random chunk sizes: CRLF pairs split across chunks, more empty
   * lines than one block of held CRLFs, lines longer than the 16 KB output block.
   */
  @Test
  void streamingMatchesAReferenceImplementationForRandomBodiesAndChunkings() {
    Random rnd = new Random(6376);
    String[] bytes = {"a", "b", " ", "\t", "\r\n", "\r\n", "\r\n", "\r", "\n", "\u00e9", "\u0000", "xyz"};
    // Text-like pieces exercise the relaxed fast path (words, single spaces, CRLF after content).
    String[] text = {"word", "ab", "xyzxyzxyz", " ", " ", "  ", "\t", "\r\n", "\r\n", "\r\n\r\n", "\r", "\n", "\u00e9", "\u000c"};
    for (int iter = 0; iter < 6000; iter++) {
      String[] pieces = iter % 2 == 0 ? bytes : text;
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(iter % 100 == 0 ? 20000 : 40);
      for (int i = 0; i < n; i++) {
        sb.append(pieces[rnd.nextInt(pieces.length)]);
      }
      if (iter % 97 == 0) {
        sb.append("x").append("\r\n".repeat(3000)); // more held CRLFs than one 4096-byte block
      }
      if (iter % 89 == 0) {
        sb.append("y".repeat(40000)).append(" \r\n"); // longer than the 16 KB output block
      }
      String in = sb.toString();
      int chunk = 1 + rnd.nextInt(iter % 3 == 0 ? 3 : iter % 3 == 1 ? 40 : 5000);
      assertThat(body(Canonicalization.SIMPLE, in, chunk)).as("simple, chunk %d, input %s", chunk, escape(in))
          .isEqualTo(referenceSimple(in));
      assertThat(body(Canonicalization.RELAXED, in, chunk)).as("relaxed, chunk %d, input %s", chunk, escape(in))
          .isEqualTo(referenceRelaxed(in));
    }
  }

  /**
   * Long unchanged runs (base64 lines, long words), which go to the sink straight from the input once
   * they reach 512 bytes, between changes of every kind, with run lengths around that threshold at every
   * alignment and chunkings that cut runs anywhere.
   */
  @Test
  void longUnchangedRunsBetweenChanges() {
    Random rnd = new Random(8463);
    String[] changes = {"  ", " \r\n", "\t", "\r\n\r\n", "\r\n \r\n", "\r\n\r\nx", " \t ", "\r", "\n"};
    for (int iter = 0; iter < 400; iter++) {
      StringBuilder sb = new StringBuilder();
      int pieces = 1 + rnd.nextInt(12);
      for (int p = 0; p < pieces; p++) {
        int run = iter % 2 == 0 ? 490 + rnd.nextInt(50) : rnd.nextInt(3000);
        for (int k = 0; k < run; k++) {
          // base64-like lines: 76 characters, CRLF; a CRLF after content leaves the run unchanged
          sb.append(k % 78 == 76 ? '\r' : k % 78 == 77 ? '\n' : (char) ('A' + rnd.nextInt(26)));
        }
        sb.append(changes[rnd.nextInt(changes.length)]);
      }
      String in = sb.toString();
      for (int chunk : new int[] {1, 7, 511, 513, 4096, 1 + rnd.nextInt(20000), Integer.MAX_VALUE}) {
        assertThat(body(Canonicalization.RELAXED, in, chunk)).as("iteration %d, chunk %d", iter, chunk)
            .isEqualTo(referenceRelaxed(in));
      }
    }
  }

  /** Bodies far longer than the 16 KB output block where nearly every word needs a change. */
  @Test
  void denseChangesOverManyOutputBlocks() {
    String[] units = {"a\tb ", "x  y ", "w \t", "z\r\n", "\r\n\r\nq", "e \r\n", " \r\n", "\t\tk"};
    for (String unit : units) {
      String in = unit.repeat(40_000 / unit.length()) + "end";
      for (int chunk : new int[] {1, 7, 4096, Integer.MAX_VALUE}) {
        assertThat(body(Canonicalization.RELAXED, in, chunk)).as("%s, chunk %d", escape(unit), chunk)
            .isEqualTo(referenceRelaxed(in));
        assertThat(body(Canonicalization.SIMPLE, in, chunk)).isEqualTo(referenceSimple(in));
      }
    }
  }

  /**
   * Every body of up to six bytes over SP, TAB, CR, LF and one letter, then random longer ones, at
   * every chunk size from 1 to 40: WSP runs before CRLF, before a lone CR or LF and before a chunk end,
   * CR and LF split across chunks, lone CRs before CRLF, whitespace-only lines at the end.
   */
  @Test
  void smallAlphabetBodiesAtEveryChunkSize() {
    char[] alphabet = {' ', '\t', '\r', '\n', 'a'};
    for (int len = 0; len <= 6; len++) {
      int count = (int) Math.pow(alphabet.length, len);
      for (int code = 0; code < count; code++) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0, c = code; k < len; k++, c /= alphabet.length) {
          sb.append(alphabet[c % alphabet.length]);
        }
        String in = sb.toString();
        String expected = referenceRelaxed(in);
        for (int chunk = 1; chunk <= Math.max(1, len); chunk++) {
          assertThat(body(Canonicalization.RELAXED, in, chunk)).as("chunk %d, input %s", chunk, escape(in))
              .isEqualTo(expected);
        }
      }
    }
    Random rnd = new Random(3441);
    for (int iter = 0; iter < 1500; iter++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(80);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet[rnd.nextInt(alphabet.length)]);
      }
      String in = sb.toString();
      String expected = referenceRelaxed(in);
      for (int chunk = 1; chunk <= 40; chunk++) {
        assertThat(body(Canonicalization.RELAXED, in, chunk)).as("chunk %d, input %s", chunk, escape(in))
            .isEqualTo(expected);
      }
    }
  }

  /**
   * Control characters share low bits with SP and TAB (the fast path's cheap pre-check lets them
   * through to the exact test): they are content, and a WSP before them stays.
   */
  @Test
  void controlCharactersNextToWhitespaceAreContent() {
    String[] pieces = {" ", "\t", "\r\n", "\r", "\n", "\u0000", "\u0001", "\u0008", "\u0010", "\u0011", "\u0018",
        "\u0019", "\u000b", "\u001f", "!", "(", ")", "\u0080", "\u00a0", "word"};
    Random rnd = new Random(20);
    for (int iter = 0; iter < 2000; iter++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(60);
      for (int k = 0; k < n; k++) {
        sb.append(pieces[rnd.nextInt(pieces.length)]);
      }
      String in = sb.toString();
      for (int chunk : new int[] {1, 3, 9, 10, 11, 17, Integer.MAX_VALUE}) {
        assertThat(body(Canonicalization.RELAXED, in, chunk)).as("chunk %d, input %s", chunk, escape(in))
            .isEqualTo(referenceRelaxed(in));
      }
    }
  }

  /**
   * Output that crosses the 16 KB block at every offset near the boundary: a WSP run, a CRLF, an empty
   * line or a CR cut by the flush, and empty lines at the end of a block that turn out to be (or not
   * to be) at the end of the body; also long runs of empty lines inside unchanged runs, which go to
   * the sink from the input.
   */
  @Test
  void changesAtTheOutputBlockBoundary() {
    String[] tails = {"  x", " \r\n", "\r\n\r\n", "\r\n\r\ny", "\r\r\n", "\t\r\n\r\n \r\n", "\r\n".repeat(700),
        "\r\n".repeat(700) + "z", "\r\n".repeat(9000) + "z \r\n\r\n", " \r", "\r \r\n"};
    for (int base : new int[] {16384, 2 * 16384}) {
      for (int shift = -12; shift <= 12; shift++) {
        for (String tail : tails) {
          // Unchanged content (long runs go to the sink directly, the tail through the block), or content
          // with a change in every word (all of it through the block): "ab  cd\t " gives "ab cd ", so the
          // tail starts at output offset base + shift.
          int target = base + shift;
          String unchanged = "abcdefg ".repeat(target / 8 + 1).substring(0, target);
          String changed = "ab  cd\t ".repeat(target / 6) + "x".repeat(target % 6);
          for (String head : new String[] {unchanged, changed}) {
            for (String in : new String[] {head + tail, head + tail + head.substring(0, 100) + tail}) {
              String expected = referenceRelaxed(in);
              for (int chunk : new int[] {1 + (shift + 12) * 13, 16384, Integer.MAX_VALUE}) {
                assertThat(body(Canonicalization.RELAXED, in, chunk))
                    .as("block %d%+d, tail %s, head %s, chunk %d", base, shift, escape(tail), escape(head), chunk)
                    .isEqualTo(expected);
              }
            }
          }
        }
      }
    }
  }

  private static String referenceSimple(String s) {
    while (s.endsWith("\r\n\r\n")) {
      s = s.substring(0, s.length() - 2);
    }
    if (s.equals("\r\n")) {
      return s;
    }
    return s.endsWith("\r\n") ? s : s + "\r\n";
  }

  private static String referenceRelaxed(String s) {
    StringBuilder out = new StringBuilder();
    int start = 0;
    while (start < s.length()) {
      int crlf = s.indexOf("\r\n", start);
      String line = crlf < 0 ? s.substring(start) : s.substring(start, crlf);
      line = line.replaceAll("[ \t]+", " ");
      if (line.endsWith(" ")) {
        line = line.substring(0, line.length() - 1);
      }
      if (crlf >= 0) {
        out.append(line).append("\r\n");
        start = crlf + 2;
      } else {
        if (!line.isEmpty()) {
          out.append(line).append("\r\n");
        }
        break;
      }
    }
    String r = out.toString();
    while (r.endsWith("\r\n\r\n")) {
      r = r.substring(0, r.length() - 2);
    }
    return r.equals("\r\n") ? "" : r;
  }

  private static String escape(String s) {
    String e = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return e.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }
}
