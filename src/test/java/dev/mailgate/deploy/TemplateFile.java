package dev.mailgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** template.yaml, and broken copies of it for the tests that show a check reports what it should. */
final class TemplateFile {
  private TemplateFile() {}

  static final Path PATH = Path.of("template.yaml");

  static String text() {
    try {
      return Files.readString(PATH);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> parsed() {
    return CfnYaml.parse(text());
  }

  /** template.yaml with {@code old}, which must occur exactly once, replaced. */
  static String broken(String old, String replacement) {
    String template = text();
    int at = template.indexOf(old);
    if (at < 0 || template.indexOf(old, at + 1) >= 0) {
      throw new IllegalArgumentException("'" + old + "' must occur exactly once in template.yaml");
    }
    return template.substring(0, at) + replacement + template.substring(at + old.length());
  }
}
