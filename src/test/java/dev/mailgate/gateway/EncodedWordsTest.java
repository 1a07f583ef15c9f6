package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 2047 encoded-words as the From rewrite reads and writes them. */
class EncodedWordsTest {

  static Stream<Arguments> decoding() {
    return Stream.of(
        Arguments.of("RFC 2047 2: B encoding", "=?UTF-8?B?SsO2cmc=?=", "Jörg"),
        Arguments.of("RFC 2047 4.2: Q encoding, underscore is a space", "=?iso-8859-1?q?J=F6rg_M?=", "Jörg M"),
        Arguments.of("RFC 2047 6.2: space between adjacent encoded-words is dropped",
            "=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab"),
        Arguments.of("RFC 2047 6.2: text around encoded-words is kept", "Dr. =?UTF-8?Q?J=C3=B6rg?= Smith",
            "Dr. Jörg Smith"),
        Arguments.of("RFC 2231 language suffix", "=?UTF-8*de?Q?J=C3=B6rg?=", "Jörg"),
        Arguments.of("an unknown charset is left as written", "=?x-unknown?Q?abc?=", "=?x-unknown?Q?abc?="),
        Arguments.of("a broken word is left as written", "=?UTF-8?B?not base64!?=", "=?UTF-8?B?not base64!?="),
        Arguments.of("plain text", "Alice", "Alice"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoding")
  void decode(String name, String in, String out) {
    assertThat(EncodedWords.decode(in)).isEqualTo(out);
  }

  static Stream<Arguments> phrases() {
    return Stream.of(
        Arguments.of("atoms stay as they are", "Alice Smith", "Alice Smith"),
        Arguments.of("RFC 5322 3.2.5: a dot needs a quoted-string", "Alice via example.org",
            "\"Alice via example.org\""),
        Arguments.of("quotes and backslashes are escaped", "A \"B\" \\C", "\"A \\\"B\\\" \\\\C\""),
        Arguments.of("non-ASCII becomes an encoded-word", "Jörg", "=?UTF-8?B?SsO2cmc=?="));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("phrases")
  void phrase(String name, String in, String out) {
    assertThat(EncodedWords.phrase(in)).isEqualTo(out);
  }

  @Test
  void longTextIsSplitIntoWordsOfAtMost75CharactersWithoutSplittingACharacter() {
    String text = "Ünïcödé ✨ ".repeat(20) + "🎉🎉🎉 end";
    String encoded = EncodedWords.encode(text);
    Matcher m = Pattern.compile("=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]*\\?=").matcher(encoded);
    int words = 0;
    while (m.find()) {
      assertThat(m.group().length()).isLessThanOrEqualTo(EncodedWords.MAX_WORD);
      words++;
    }
    assertThat(words).isGreaterThan(3);
    assertThat(encoded).doesNotContain("\n\n").contains("\r\n ");
    // Each word decodes on its own (no character split across words), and together they give the text.
    assertThat(EncodedWords.decode(encoded.replace("\r\n", ""))).isEqualTo(text);
  }
}
