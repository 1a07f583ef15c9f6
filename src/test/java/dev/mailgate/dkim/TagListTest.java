package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagListTest {

  @Test
  void rfc6376_3_2_whitespaceAndFoldingAroundTagsAreNotPartOfTheValue() {
    TagList t = TagList.parse(" v = 1 ;\r\n\ta=rsa-sha256;\r\n d=\r\n example.com ; h = from : to ;");
    assertThat(t.isValid()).isTrue();
    assertThat(t.get("v")).isEqualTo("1");
    assertThat(t.get("a")).isEqualTo("rsa-sha256");
    assertThat(t.get("d")).isEqualTo("example.com");
    assertThat(t.get("h")).isEqualTo("from : to");
    assertThat(t.tags()).extracting(TagList.Tag::name).containsExactly("v", "a", "d", "h");
  }

  @Test
  void rfc6376_3_2_whitespaceInsideAValueIsKept() {
    assertThat(TagList.parse("n=a  b\r\n c").get("n")).isEqualTo("a  b\r\n c");
  }

  @Test
  void rfc6376_3_2_emptyValueIsNotAnOmittedTag() {
    TagList t = TagList.parse("p=; x=1");
    assertThat(t.isValid()).isTrue();
    assertThat(t.has("p")).isTrue();
    assertThat(t.get("p")).isEmpty();
    assertThat(t.get("q")).isNull();
    assertThat(t.get("q", "dns/txt")).isEqualTo("dns/txt");
  }

  @Test
  void rfc6376_3_2_tagsAreCaseSensitive() {
    TagList t = TagList.parse("V=1; v=2");
    assertThat(t.isValid()).as("V and v are different tags").isTrue();
    assertThat(t.get("v")).isEqualTo("2");
    assertThat(t.get("V")).isEqualTo("1");
  }

  @Test
  void rfc6376_3_2_unknownTagsAreKept() {
    assertThat(TagList.parse("foo_1=bar; v=1").get("foo_1")).isEqualTo("bar");
  }

  @Test
  void rfc6376_3_2_valuesMayContainEqualsSigns() {
    assertThat(TagList.parse("bh=abc==; b=x=y").get("bh")).isEqualTo("abc==");
  }

  @ParameterizedTest(name = "RFC 6376 3.2: \"{0}\" is valid")
  @CsvSource(delimiter = '|', value = {
      "''", // no tags at all
      "'   '",
      "'a=1'",
      "'a=1;'", // trailing semicolon
      "'a=1; '", // trailing semicolon and whitespace (common in key records)
      "'a=\u00e9t\u00e9'", // 8-bit text is let through (RFC 6376 3.2 implementation note)
  })
  void valid(String text) {
    assertThat(TagList.parse(text).error()).isNull();
  }

  @ParameterizedTest(name = "RFC 6376 3.2: \"{0}\" is invalid ({1})")
  @CsvSource(delimiter = '|', value = {
      "'a=1; a=2'           | duplicate tag a=",
      "'a=1;; b=2'          | empty tag-spec",
      "';'                  | empty tag-spec",
      "'a=1; t; p=x'        | has no '='",
      "'1a=x'               | invalid tag name",
      "'a b=x'              | has no '='",
      "'-a=x'               | invalid tag name",
      "'=x'                 | invalid tag name",
      "'a=x\u0001y'         | control character",
      "'a=x\u007fy'         | control character",
  })
  void invalid(String text, String why) {
    TagList t = TagList.parse(text);
    assertThat(t.isValid()).isFalse();
    assertThat(t.error()).contains(why);
    assertThat(t.tags()).isEmpty();
    assertThat(t.get("a")).isNull();
  }

  @Test
  void rfc6376_3_7_emptyingBKeepsEveryOtherByte() {
    String text = " v=1; bh=AAAA;\r\n b=abc\r\n\tdef ;\r\n x=1";
    TagList t = TagList.parse(text);
    assertThat(t.withEmptyValue("b")).isEqualTo(" v=1; bh=AAAA;\r\n b=;\r\n x=1");
    assertThat(t.withEmptyValue("bh")).isEqualTo(" v=1; bh=;\r\n b=abc\r\n\tdef ;\r\n x=1");
    assertThat(t.withEmptyValue("z")).isEqualTo(text);
    assertThat(TagList.parse("a=1; b= xyz ").withEmptyValue("b")).isEqualTo("a=1; b=");
  }

  @Test
  void colonListsAllowFoldingAroundTheColons() {
    assertThat(TagList.splitColonList("from : to :\r\n subject")).containsExactly("from", "to", "subject");
    assertThat(TagList.splitColonList("sha256")).containsExactly("sha256");
    assertThat(TagList.splitColonList("")).isEqualTo(List.of(""));
  }

  @Test
  void hostileInputGivesAResult() {
    String huge = "a=" + "x".repeat(1_000_000) + ";" + "b=1;".repeat(10_000);
    assertThat(TagList.parse(huge).error()).contains("duplicate tag b=");
    assertThat(TagList.parse(";".repeat(100_000)).isValid()).isFalse();
  }
}
