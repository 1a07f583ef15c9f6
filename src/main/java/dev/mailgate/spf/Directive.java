package dev.mailgate.spf;

/**
 * One directive of a record: a qualifier and a mechanism (RFC 7208 section 4.6.1).
 *
 * @param text the term as written in the record, e.g. {@code -all} or {@code include:_spf.example.com}
 */
record Directive(Qualifier qualifier, Mechanism mechanism, String text) {}
