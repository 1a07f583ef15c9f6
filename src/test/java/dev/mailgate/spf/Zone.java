package dev.mailgate.spf;

import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;

/**
 * Test DNS data from compact lines {@code "<name> <TYPE> <value>"}: TXT (the rest of the line is the
 * record), A/AAAA, MX ("10 host"), PTR (owner is the reverse name), CNAME, and TIMEOUT or SERVFAIL
 * (optionally followed by a record type).
 */
final class Zone {
  private Zone() {}

  static InMemoryResolver of(String... lines) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    for (String line : lines) {
      int sp1 = line.indexOf(' ');
      int sp2 = line.indexOf(' ', sp1 + 1);
      String name = line.substring(0, sp1);
      String type = sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
      String value = sp2 < 0 ? "" : line.substring(sp2 + 1);
      switch (type) {
        case "TXT" -> b.txt(name, value);
        case "A", "AAAA" -> b.address(name, value);
        case "MX" -> {
          String[] mx = value.split(" ", 2);
          b.mx(name, Integer.parseInt(mx[0]), mx.length > 1 ? mx[1] : "");
        }
        case "PTR" -> b.ptr(name, value);
        case "CNAME" -> b.cname(name, value);
        case "EXISTS" -> b.exists(name);
        case "TIMEOUT" -> b.timeout(name, value.isEmpty() ? new RecordType[0] : new RecordType[] {RecordType.valueOf(value)});
        case "SERVFAIL" -> b.servfail(name, value.isEmpty() ? new RecordType[0] : new RecordType[] {RecordType.valueOf(value)});
        default -> throw new IllegalArgumentException("unknown type in test zone line: " + line);
      }
    }
    return b.build();
  }
}
