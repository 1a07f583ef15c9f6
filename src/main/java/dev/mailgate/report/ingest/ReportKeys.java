package dev.mailgate.report.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where a normalised report is stored: {@code <prefix>dt=<YYYY-MM-DD>/<org>!<report_id>.json}, the date
 * being the report period's begin (UTC), or the day it was received when the report gives none. The
 * org name and report ID are reduced to letters, digits and {@code . _ - @} (anything else becomes '_')
 * and cut at 100 characters each, so the key is safe as an S3 key and a file name. The same report
 * received twice lands on the same key (overwritten with the same content). Stateless.
 */
public final class ReportKeys {
  public static final int MAX_PART = 100;

  private ReportKeys() {}

  public static String key(String prefix, ReceivedReport r, Instant received) {
    Instant when = r.metadata().begin() != null ? r.metadata().begin() : received;
    LocalDate day = LocalDate.ofInstant(when, ZoneOffset.UTC);
    return prefix + "dt=" + day + "/" + safe(r.metadata().orgName()) + "!" + safe(r.metadata().reportId()) + ".json";
  }

  /** Letters, digits, '.', '_', '-', '@'; other characters become '_'; no leading '.'. */
  static String safe(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < MAX_PART; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
          || c == '-' || c == '@';
      sb.append(ok ? c : '_');
    }
    if (sb.length() == 0 || sb.charAt(0) == '.') {
      sb.insert(0, '_');
    }
    return sb.toString();
  }
}
