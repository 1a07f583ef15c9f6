package dev.mailgate.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * How a {@link DmarcEvaluator} works.
 *
 * @param mode RFC 9989 (DNS Tree Walk, the default) or RFC 7489 (Public Suffix List, pct)
 * @param publicSuffixList where the PSL comes from in RFC 7489 mode; called at most once, on the first
 *     evaluation that needs it (or {@link DmarcEvaluator#preload()}), never in RFC 9989 mode
 * @param overrides the local override list, first matching rule wins
 * @param random the source for pct sampling (RFC 7489 6.6.4); null means ThreadLocalRandom. Must be safe
 *     for concurrent use when the evaluator is shared ({@link java.util.Random} is).
 */
public record DmarcOptions(
    DmarcMode mode, Supplier<PublicSuffixList> publicSuffixList, List<OverrideRule> overrides, RandomGenerator random) {

  public DmarcOptions {
    Objects.requireNonNull(mode, "mode");
    publicSuffixList = publicSuffixList == null ? PublicSuffixList::bundled : publicSuffixList;
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
  }

  /** RFC 9989, no overrides. */
  public static DmarcOptions defaults() {
    return new DmarcOptions(DmarcMode.RFC9989, null, List.of(), null);
  }

  /** RFC 7489 with the bundled Public Suffix List, no overrides. */
  public static DmarcOptions rfc7489() {
    return new DmarcOptions(DmarcMode.RFC7489, null, List.of(), null);
  }

  public DmarcOptions withMode(DmarcMode m) {
    return new DmarcOptions(m, publicSuffixList, overrides, random);
  }

  public DmarcOptions withPublicSuffixList(Supplier<PublicSuffixList> psl) {
    return new DmarcOptions(mode, psl, overrides, random);
  }

  public DmarcOptions withOverrides(List<OverrideRule> rules) {
    return new DmarcOptions(mode, publicSuffixList, rules, random);
  }

  public DmarcOptions withRandom(RandomGenerator r) {
    return new DmarcOptions(mode, publicSuffixList, overrides, r);
  }
}
