package dev.mailgate.gateway;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/** A sender that fails as scripted before passing calls on to another; counts every call. */
public final class FaultySender implements MailSender {
  private final MailSender delegate;
  private final Deque<SendException.Kind> failures = new ArrayDeque<>();
  public final AtomicInteger calls = new AtomicInteger();

  public FaultySender(MailSender delegate) {
    this.delegate = delegate;
  }

  /** The next calls fail with these kinds, in order; then calls go through. */
  public synchronized FaultySender failNext(SendException.Kind... kinds) {
    for (SendException.Kind k : kinds) {
      failures.add(k);
    }
    return this;
  }

  private synchronized void maybeFail() throws SendException {
    calls.incrementAndGet();
    SendException.Kind k = failures.poll();
    if (k != null) {
      throw new SendException(k, "scripted " + k);
    }
  }

  @Override
  public String forward(Forward mail, Instant deadline) throws SendException {
    maybeFail();
    return delegate.forward(mail, deadline);
  }

  @Override
  public String relay(Relay mail, Instant deadline) throws SendException {
    maybeFail();
    return delegate.relay(mail, deadline);
  }

  @Override
  public String bounce(Bounce mail, Instant deadline) throws SendException {
    maybeFail();
    return delegate.bounce(mail, deadline);
  }
}
