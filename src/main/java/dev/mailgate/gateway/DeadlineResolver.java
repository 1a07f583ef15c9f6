package dev.mailgate.gateway;

import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.dns.MxHost;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A resolver that stops asking once the current message's DNS deadline has passed: every query after it
 * fails at once as a temporary failure (so the checks give temperror and the policy a safe action),
 * instead of each waiting for its own timeout. The deadline is per thread, set around one message with
 * {@link #within}; without one, queries pass straight through. Safe for concurrent use.
 *
 * <p>A query already on the wire is bounded by the delegate's own timeout, so authentication ends at
 * the deadline plus at most one query timeout; the gateway sets the deadline early enough for that.
 */
public final class DeadlineResolver implements DnsResolver {
  private final DnsResolver delegate;
  private final Clock clock;
  private final ThreadLocal<Instant> deadline = new ThreadLocal<>();

  public DeadlineResolver(DnsResolver delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  /** Sets this thread's deadline until the returned scope is closed. */
  public Scope within(Instant until) {
    Instant previous = deadline.get();
    deadline.set(until);
    return () -> {
      if (previous == null) {
        deadline.remove();
      } else {
        deadline.set(previous);
      }
    };
  }

  /** The scope of a deadline; closing it restores the previous one. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private void check(String name) throws DnsTempFailure {
    Instant d = deadline.get();
    if (d != null && !clock.instant().isBefore(d)) {
      throw new DnsTempFailure(name, "time budget for DNS spent (deadline " + d + ")");
    }
  }

  @Override
  public List<String> txt(String name) throws DnsTempFailure {
    check(name);
    return delegate.txt(name);
  }

  @Override
  public List<InetAddress> addresses(String name) throws DnsTempFailure {
    check(name);
    return delegate.addresses(name);
  }

  @Override
  public List<InetAddress> a(String name) throws DnsTempFailure {
    check(name);
    return delegate.a(name);
  }

  @Override
  public List<InetAddress> aaaa(String name) throws DnsTempFailure {
    check(name);
    return delegate.aaaa(name);
  }

  @Override
  public List<MxHost> mx(String name) throws DnsTempFailure {
    check(name);
    return delegate.mx(name);
  }

  @Override
  public List<String> ptr(InetAddress ip) throws DnsTempFailure {
    check(ip.getHostAddress());
    return delegate.ptr(ip);
  }
}
