package dev.mailgate.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sweep's report as JSON-ready maps: the summary, and one entry per reported message. */
public final class SweepJson {
  private SweepJson() {}

  /** The counts (the log line's metrics are these). */
  public static Map<String, Object> summary(Sweep.Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("listed", r.listed());
    m.put("notMessages", r.ignored());
    m.put("tooRecent", r.tooRecent());
    m.put("tooOld", r.tooOld());
    m.put("finished", r.finished());
    m.put("redriven", r.count(Sweep.Kind.REDRIVEN));
    m.put("wouldRedrive", r.count(Sweep.Kind.WOULD_REDRIVE));
    m.put("leftForNextRun", r.count(Sweep.Kind.LEFT_FOR_NEXT_RUN));
    m.put("stillPending", r.stillPending());
    m.put("inDoubt", r.inDoubt());
    m.put("failed", r.count(Sweep.Kind.FAILED));
    m.put("unreadable", r.count(Sweep.Kind.UNREADABLE));
    m.put("notExamined", r.notExamined());
    m.put("complete", r.complete());
    if (!r.stoppedBy().isEmpty()) {
      m.put("stoppedBy", r.stoppedBy());
    }
    return m;
  }

  /** The summary and the reported messages. */
  public static Map<String, Object> toMap(Sweep.Report r) {
    Map<String, Object> m = summary(r);
    List<Object> items = new ArrayList<>();
    for (Sweep.Item i : r.items()) {
      items.add(item(i));
    }
    m.put("messages", items);
    return m;
  }

  /** One reported message. */
  public static Map<String, Object> item(Sweep.Item i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("messageId", i.messageId());
    m.put("key", i.object().key());
    m.put("stored", i.object().lastModified().toString());
    m.put("sweep", i.kind().word());
    m.put("stateBefore", i.before() == null ? "none" : i.before().word());
    if (i.outcome() != null) {
      m.put("stateAfter", i.outcome().state().word());
      if (!i.outcome().detail().isEmpty()) {
        m.put("detail", i.outcome().detail());
      }
    }
    if (!i.details().isEmpty()) {
      m.put(i.kind() == Sweep.Kind.IN_DOUBT || (i.outcome() != null && i.outcome().state() == ObjectState.IN_DOUBT)
          ? "unconfirmedDeliveries" : "reason", i.details());
    }
    return m;
  }
}
