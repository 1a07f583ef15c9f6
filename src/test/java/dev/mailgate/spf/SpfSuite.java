package dev.mailgate.spf;

import dev.mailgate.dns.InMemoryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the openspf.org / pyspf SPF test suite YAML (src/test/resources/conformance/spf/) into
 * scenarios with an {@link InMemoryResolver} each, following the reference driver (pyspf
 * test/testspf.py) as described in the conformance README, section "spf/":
 *
 * <ol>
 *   <li>SPF (type 99) records are also served as TXT when the name has no TXT entry;
 *   <li>{@code TXT: NONE} means no TXT record, and switches rule 1 off for that name;
 *   <li>a bare {@code TIMEOUT} item makes queries for the name time out, except for types with records;
 *   <li>names present in zonedata exist (empty answer for other types); absent names are NXDOMAIN;
 *   <li>CNAMEs are followed (InMemoryResolver does that);
 *   <li>owner names are matched case-insensitively (InMemoryResolver does that).
 * </ol>
 */
final class SpfSuite {
  private SpfSuite() {}

  /** One test case. {@code results} lists every accepted result word; the first is preferred. */
  record Case(String scenario, String name, String spec, String helo, String host, String mailFrom,
      List<String> results, String explanation, String description) {}

  /** One YAML document: its cases and the DNS they run against. */
  record Scenario(String description, List<Case> cases, InMemoryResolver resolver) {}

  static List<Scenario> load(String resource) {
    LoaderOptions options = new LoaderOptions();
    // Test names may repeat within a scenario (PyYAML keeps the last one; so does SnakeYAML).
    options.setAllowDuplicateKeys(true);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    List<Scenario> scenarios = new ArrayList<>();
    try (InputStream in = SpfSuite.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
      for (Object doc : yaml.loadAll(reader)) {
        scenarios.add(scenario(map(doc)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return scenarios;
  }

  private static Scenario scenario(Map<String, Object> doc) {
    String description = (String) doc.get("description");
    List<Case> cases = new ArrayList<>();
    for (Map.Entry<String, Object> e : map(doc.get("tests")).entrySet()) {
      Map<String, Object> t = map(e.getValue());
      cases.add(new Case(description, e.getKey(), spec(t.get("spec")), text(t.get("helo")), text(t.get("host")),
          text(t.get("mailfrom")), results(t.get("result")), (String) t.get("explanation"),
          (String) t.get("description")));
    }
    return new Scenario(description, cases, zone(map(doc.get("zonedata"))));
  }

  static InMemoryResolver zone(Map<String, Object> zonedata) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    for (Map.Entry<String, Object> e : zonedata.entrySet()) {
      String name = e.getKey();
      List<?> items = (List<?>) e.getValue();
      boolean hasTxt = false;
      for (Object item : items) {
        if (item instanceof Map<?, ?> m && m.containsKey("TXT")) {
          hasTxt = true;
        }
      }
      b.exists(name);
      for (Object item : items) {
        if ("TIMEOUT".equals(item)) {
          b.timeout(name);
          continue;
        }
        Map<String, Object> record = map(item);
        if (record.size() != 1) {
          throw new IllegalArgumentException("zone item with " + record.size() + " keys at " + name);
        }
        Map.Entry<String, Object> r = record.entrySet().iterator().next();
        Object value = r.getValue();
        switch (r.getKey()) {
          case "SPF" -> {
            if (!hasTxt) {
              b.txt(name, joined(value));
            }
          }
          case "TXT" -> {
            if (!"NONE".equals(value)) {
              b.txt(name, joined(value));
            }
          }
          case "A", "AAAA" -> b.address(name, text(value));
          case "MX" -> {
            List<?> mx = (List<?>) value;
            b.mx(name, ((Number) mx.get(0)).intValue(), text(mx.get(1)));
          }
          case "PTR" -> b.ptr(name, text(value));
          case "CNAME" -> b.cname(name, text(value));
          default -> throw new IllegalArgumentException("unknown record type " + r.getKey() + " at " + name);
        }
      }
    }
    return b.build();
  }

  /** A TXT/SPF value: one string, or a list of character-strings joined with nothing between them. */
  private static String joined(Object value) {
    if (value instanceof List<?> parts) {
      StringBuilder sb = new StringBuilder();
      for (Object p : parts) {
        sb.append(text(p));
      }
      return sb.toString();
    }
    return text(value);
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("expected a string, YAML gave " + value.getClass().getSimpleName() + " "
          + value);
    }
    return s;
  }

  private static String spec(Object spec) {
    if (spec instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        parts.add(String.valueOf(o));
      }
      return String.join(", ", parts);
    }
    return spec == null ? "" : String.valueOf(spec);
  }

  private static List<String> results(Object result) {
    if (result instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        out.add(text(o));
      }
      return out;
    }
    return List.of(text(result));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (o == null) {
      return new LinkedHashMap<>();
    }
    return (Map<String, Object>) o;
  }
}
