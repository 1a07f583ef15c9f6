package dev.mailgate.spf;

/**
 * A domain-spec (RFC 7208 section 7.1): a macro-string that must end in a macro-expand or in "."
 * toplabel ["."]. When it contains no macro letters its target name is computed once, at parse time.
 */
final class DomainSpec {
  private final MacroString macro;
  /** For a constant domain-spec: its target name, or null when that name is unusable in DNS. */
  private final String constantTarget;
  /** For a constant domain-spec: {@link #checkHostProblem} of its target, computed once. */
  private final String constantProblem;

  private DomainSpec(MacroString macro) {
    this.macro = macro;
    this.constantTarget = macro.constant() == null ? null : DomainNames.targetName(macro.constant());
    this.constantProblem = macro.constant() == null ? null : problem(constantTarget);
  }

  static DomainSpec parse(String text) throws SpfSyntaxException {
    if (text.isEmpty()) {
      throw new SpfSyntaxException("empty domain-spec");
    }
    MacroString macro = MacroString.parse(text, MacroString.Kind.DOMAIN_SPEC);
    if (!macro.endsWithMacroExpand()) {
      // domain-end = ( "." toplabel [ "." ] ) / macro-expand
      String tail = macro.trailingLiteral();
      int end = tail.endsWith(".") ? tail.length() - 1 : tail.length();
      int dot = tail.lastIndexOf('.', end - 1);
      if (dot < 0 || !DomainNames.isTopLabel(tail, dot + 1, end)) {
        throw new SpfSyntaxException(
            "domain-spec " + SpfRecord.quote(text) + " does not end in a valid top-level label");
      }
    }
    return new DomainSpec(macro);
  }

  /** Whether the spec contains macro letters (so its target depends on the evaluation). */
  boolean isConstant() {
    return macro.constant() != null;
  }

  /**
   * The target name for this evaluation (section 4.8), or null when the expansion is not a name a DNS
   * query can be made for (empty or over-long labels after the section 7.3 truncation).
   */
  String targetName(MacroString.MacroValues values, String domain) {
    if (macro.constant() != null) {
      return constantTarget;
    }
    return DomainNames.targetName(macro.expand(values, domain));
  }

  /**
   * Why {@code target} (from {@link #targetName}) cannot be the <domain> of a recursive check_host()
   * for include or redirect, or null when it can (section 4.3 rules, see DomainNames).
   */
  String checkHostProblem(String target) {
    if (macro.constant() != null) {
      return constantProblem;
    }
    return problem(target);
  }

  private static String problem(String target) {
    return target == null ? "not a usable domain name" : DomainNames.checkHostDomainProblem(target);
  }

  String text() {
    return macro.text();
  }

  @Override
  public String toString() {
    return macro.text();
  }
}
