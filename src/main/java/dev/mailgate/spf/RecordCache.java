package dev.mailgate.spf;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed records by their text, so that a popular record (a large sender's include chain) is parsed
 * once rather than on every check. Bounded: when full, an arbitrary entry makes room. Records longer
 * than {@link #MAX_CACHED_LENGTH} are parsed every time, so hostile giant records cannot fill memory.
 * Safe for concurrent use; a race at worst parses the same text twice.
 */
final class RecordCache {
  static final int MAX_CACHED_LENGTH = 2048;

  private final ConcurrentHashMap<String, RecordParse> parsed;
  private final int capacity;

  RecordCache(int capacity) {
    this.capacity = capacity;
    this.parsed = new ConcurrentHashMap<>(Math.max(16, Math.min(capacity, 4096)));
  }

  RecordParse parse(String text) {
    RecordParse p = parsed.get(text);
    if (p != null) {
      return p;
    }
    p = SpfRecord.parse(text);
    if (capacity > 0 && text.length() <= MAX_CACHED_LENGTH) {
      if (parsed.size() >= capacity) {
        // One eviction per insertion keeps the work bounded; concurrent inserts may overshoot by a few.
        Iterator<String> it = parsed.keySet().iterator();
        if (it.hasNext()) {
          it.next();
          it.remove();
        }
      }
      parsed.put(text, p);
    }
    return p;
  }

  int size() {
    return parsed.size();
  }
}
