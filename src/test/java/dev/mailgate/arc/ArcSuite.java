package dev.mailgate.arc;

import dev.mailgate.dns.DnsFixture;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the ARC conformance files under src/test/resources/conformance/arc/ (see the README there). */
final class ArcSuite {
  static final String ROOT = "/conformance/arc/";

  private ArcSuite() {}

  static byte[] bytes(String path) {
    try (InputStream in = ArcSuite.class.getResourceAsStream(ROOT + path)) {
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

  /**
   * The YAML documents (scenarios) of a suite file. Duplicate keys are allowed and the last one wins,
   * as with PyYAML, which the suite's own harness uses (four test names of "Arc Seal Fields" appear
   * twice; see the README).
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> scenarios(String path) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(text(path))) {
      out.add((Map<String, Object>) doc);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> tests(Map<String, Object> scenario) {
    return (Map<String, Map<String, Object>>) scenario.get("tests");
  }

  /**
   * A resolver serving a scenario's {@code txt-records}. Values may be YAML literal blocks, so the key's
   * p= is spread over lines: whitespace inside p= is removed (RFC 6376 section 3.6.1 allows FWS there)
   * and the value's line breaks elsewhere become spaces.
   */
  @SuppressWarnings("unchecked")
  static InMemoryResolver resolver(Map<String, Object> scenario) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    Map<String, String> records = (Map<String, String>) scenario.getOrDefault("txt-records", Map.of());
    records.forEach((name, value) -> b.txt(name, txtValue(value)));
    return b.build();
  }

  static String txtValue(String yamlValue) {
    String v = yamlValue.strip();
    int p = v.indexOf("p=");
    if (p >= 0) {
      int end = v.indexOf(';', p);
      end = end < 0 ? v.length() : end;
      v = v.substring(0, p) + v.substring(p, end).replaceAll("\\s+", "") + v.substring(end);
    }
    return v.replaceAll("\\s*\n\\s*", " ");
  }

  /** A record-list DNS file (name TXT "value" lines), as the stalwart samples have. */
  static InMemoryResolver recordList(String path) {
    return DnsFixture.fromRecordList(text(path), path);
  }

  /** A suite message: the YAML text as UTF-8; RawMessage.parse turns its bare LFs into CRLF. */
  static RawMessage message(Map<String, Object> test) {
    return RawMessage.parse(((String) test.get("message")).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The SCHEMA-README's "AR Consolidation" rule, which the signing suite assumes: the resinfos of every
   * Authentication-Results field whose authserv-id is {@code srvId}, in message order.
   */
  static String mergedResults(RawMessage message, String srvId) {
    List<String> items = new ArrayList<>();
    for (HeaderField f : message.headers("Authentication-Results")) {
      String v = ArcAuthenticationResults.unfold(f.value());
      int semi = v.indexOf(';');
      String head = (semi < 0 ? v : v.substring(0, semi)).strip();
      String id = head.split("\\s+")[0];
      if (id.toLowerCase(Locale.ROOT).equals(srvId.toLowerCase(Locale.ROOT)) && semi >= 0) {
        items.addAll(ArcSealer.splitResinfos(v.substring(semi + 1)));
      }
    }
    return String.join("; ", items);
  }

  /** A PKCS#1 "RSA PRIVATE KEY" PEM (as the signing suite gives it) as a Java key, via PKCS#8 (RFC 5208). */
  static PrivateKey rsaPrivateKey(String pem) throws GeneralSecurityException {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s+", "");
    byte[] pkcs1 = Base64.getDecoder().decode(b64);
    // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption NULL, OCTET STRING pkcs1 }
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(der(0x04, pkcs1));
    byte[] pkcs8 = der(0x30, body.toByteArray());
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
