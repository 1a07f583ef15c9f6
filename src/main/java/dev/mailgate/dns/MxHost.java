package dev.mailgate.dns;

/** One MX record: its preference and the exchange host name (no trailing dot, as given). */
public record MxHost(int preference, String host) {}
