package dev.mailgate.dkim;

import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.message.RawMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Reads the conformance files under src/test/resources/conformance/dkim/. */
final class ConformanceData {
  static final String ROOT = "/conformance/dkim/";

  private ConformanceData() {}

  static byte[] bytes(String path) {
    try (InputStream in = ConformanceData.class.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + ROOT + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  /** A message file; RawMessage.parse turns bare LF into CRLF, as the suites' drivers do. */
  static RawMessage message(String path) {
    return RawMessage.parse(bytes(path));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String path) {
    return (Map<String, Object>) new Yaml().load(text(path));
  }

  /**
   * A resolver from one or more record files in the conventions of the conformance README: {@code
   * name TXT "value"} (with \" and \\ escapes), {@code name NXDOMAIN|TIMEOUT|SERVFAIL}.
   */
  static InMemoryResolver resolver(String... paths) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    for (String path : paths) {
      addRecords(b, text(path));
    }
    return b.build();
  }

  static void addRecords(InMemoryResolver.Builder b, String text) {
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int sp = line.indexOf(' ');
      String name = line.substring(0, sp);
      String rest = line.substring(sp + 1).strip();
      if (rest.equals("NXDOMAIN")) {
        continue; // an absent name is NXDOMAIN
      } else if (rest.equals("TIMEOUT")) {
        b.timeout(name, RecordType.TXT);
      } else if (rest.equals("SERVFAIL")) {
        b.servfail(name, RecordType.TXT);
      } else if (rest.startsWith("TXT \"") && rest.endsWith("\"")) {
        b.txt(name, unescape(rest.substring(5, rest.length() - 1)));
      } else {
        throw new IllegalArgumentException("bad record line: " + line);
      }
    }
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        c = s.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
