package dev.mailgate.spf;

/**
 * The mechanisms of RFC 7208 section 5, as parsed. A null {@link DomainSpec} means "the current
 * <domain>". include, a, mx, ptr and exists query DNS and count toward the limit of section 4.6.4.
 */
sealed interface Mechanism {

  /** Section 5.1. */
  record All() implements Mechanism {}

  /** Section 5.2. */
  record Include(DomainSpec target) implements Mechanism {}

  /** Section 5.3; {@code cidr4}/{@code cidr6} default to 32/128. */
  record A(DomainSpec target, int cidr4, int cidr6) implements Mechanism {}

  /** Section 5.4. */
  record Mx(DomainSpec target, int cidr4, int cidr6) implements Mechanism {}

  /** Section 5.5. */
  record Ptr(DomainSpec target) implements Mechanism {}

  /** Section 5.6, ip4: the network's address bits and prefix length. */
  record Ip4(int network, int prefix) implements Mechanism {}

  /** Section 5.6, ip6: the network's 128 bits as two longs and the prefix length. */
  record Ip6(long hi, long lo, int prefix) implements Mechanism {}

  /** Section 5.7. */
  record Exists(DomainSpec target) implements Mechanism {}
}
