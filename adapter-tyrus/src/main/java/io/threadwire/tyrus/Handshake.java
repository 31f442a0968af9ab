package io.threadwire.tyrus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link HandshakeAuthenticator} sees of a WebSocket handshake request: its headers, query
 * parameters and the access token, if one was sent. Immutable.
 */
public final class Handshake {

  private final Map<String, List<String>> headers;
  private final Map<String, List<String>> parameters;
  private final String tokenHeader;
  private final String tokenParameter;

  private Handshake(
      Map<String, List<String>> headers,
      Map<String, List<String>> parameters,
      String tokenHeader,
      String tokenParameter) {
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.merge(k, List.copyOf(v), Handshake::concat));
    this.headers = h;
    this.parameters = Map.copyOf(parameters);
    this.tokenHeader = tokenHeader;
    this.tokenParameter = tokenParameter;
  }

  /**
   * {@return a handshake view}
   *
   * @param headers request headers; names are matched case-insensitively
   * @param parameters query parameters
   * @param tokenHeader the header that carries the token
   * @param tokenParameter the query parameter that carries the token
   */
  public static Handshake of(
      Map<String, List<String>> headers,
      Map<String, List<String>> parameters,
      String tokenHeader,
      String tokenParameter) {
    return new Handshake(headers, parameters, tokenHeader, tokenParameter);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /**
   * {@return the first value of header {@code name}, matched case-insensitively}
   *
   * @param name the name
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * {@return the first value of query parameter {@code name}}
   *
   * @param name the name
   */
  public Optional<String> queryParameter(String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * {@return the access token: the configured token header (a {@code Bearer } prefix is removed),
   * else the configured query parameter; empty if neither carries a non-blank value}
   */
  public Optional<String> token() {
    Optional<String> fromHeader =
        header(tokenHeader)
            .map(String::trim)
            .map(v -> v.toLowerCase(Locale.ROOT).startsWith("bearer ") ? v.substring(7).trim() : v)
            .filter(v -> !v.isEmpty());
    if (fromHeader.isPresent()) {
      return fromHeader;
    }
    return queryParameter(tokenParameter).map(String::trim).filter(v -> !v.isEmpty());
  }

  @Override
  public String toString() {
    // Never print header values or parameters: they may carry credentials.
    return "Handshake{headers=" + headers.keySet() + ", parameters=" + parameters.keySet() + "}";
  }
}
