package dev.mailgate.dns;

/** The record types the checks query. */
public enum RecordType {
  TXT, A, AAAA, MX, PTR
}
