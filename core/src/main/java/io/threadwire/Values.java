package io.threadwire;

/** Shared wording of the value types' validation errors. */
final class Values {

  private static final int SHOWN = 160;

  private Values() {}

  /**
   * Returns {@code value} quoted with its length, for an error message naming the bad value; cut at
   * 160 characters so that an oversized value cannot flood a log line.
   */
  static String quote(String value) {
    String shown = value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value;
    return "\"" + shown + "\" (length " + value.length() + ")";
  }
}
