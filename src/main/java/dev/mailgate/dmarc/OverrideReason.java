package dev.mailgate.dmarc;

/**
 * One policy override reason as an aggregate report carries it (RFC 9990 section 3.1.1.14: type and
 * optional comment).
 *
 * @param type the override type
 * @param comment further details, or null
 */
public record OverrideReason(PolicyOverride type, String comment) {}
