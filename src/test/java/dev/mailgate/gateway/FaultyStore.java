package dev.mailgate.gateway;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that fails named operations a given number of times before passing them on. */
public final class FaultyStore implements MessageStore {
  private final MessageStore delegate;
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

  public FaultyStore(MessageStore delegate) {
    this.delegate = delegate;
  }

  /** The next {@code times} calls of {@code op} (fetch, tags, putTags, read, createIfAbsent, put, copy, delete) fail. */
  public FaultyStore fail(String op, int times) {
    failures.put(op, new AtomicInteger(times));
    return this;
  }

  private void maybeFail(String op) throws StoreException {
    AtomicInteger n = failures.get(op);
    if (n != null && n.getAndDecrement() > 0) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "scripted failure of " + op);
    }
  }

  @Override
  public byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) throws StoreException {
    maybeFail("fetch");
    return delegate.fetch(ref, maxBytes, deadline);
  }

  @Override
  public Map<String, String> tags(MessageRef ref, Instant deadline) throws StoreException {
    maybeFail("tags");
    return delegate.tags(ref, deadline);
  }

  @Override
  public void putTags(MessageRef ref, Map<String, String> tags, Instant deadline) throws StoreException {
    maybeFail("putTags");
    delegate.putTags(ref, tags, deadline);
  }

  @Override
  public Optional<byte[]> read(MessageRef ref, Instant deadline) throws StoreException {
    maybeFail("read");
    return delegate.read(ref, deadline);
  }

  @Override
  public boolean createIfAbsent(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    maybeFail("createIfAbsent");
    return delegate.createIfAbsent(ref, content, deadline);
  }

  @Override
  public void put(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    maybeFail("put");
    delegate.put(ref, content, deadline);
  }

  @Override
  public void copy(MessageRef from, String toKey, Map<String, String> tags, Instant deadline) throws StoreException {
    maybeFail("copy");
    delegate.copy(from, toKey, tags, deadline);
  }

  @Override
  public void delete(MessageRef ref, Instant deadline) throws StoreException {
    maybeFail("delete");
    delegate.delete(ref, deadline);
  }

  @Override
  public StoredObject.Page list(String bucket, String prefix, String startAfter, int maxKeys, Instant deadline)
      throws StoreException {
    maybeFail("list");
    return delegate.list(bucket, prefix, startAfter, maxKeys, deadline);
  }
}
