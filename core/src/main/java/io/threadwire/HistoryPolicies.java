package io.threadwire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which {@link HistoryPolicy} applies to which thread: a default, plus overrides by thread-id
 * prefix (the longest matching prefix wins). Immutable.
 *
 * <pre>{@code
 * HistoryPolicies policies = HistoryPolicies.uniform(HistoryPolicy.defaults())
 *     .withPrefix("typing:", HistoryPolicy.disabled());
 * }</pre>
 */
public final class HistoryPolicies {

  private final HistoryPolicy defaultPolicy;
  private final Map<String, HistoryPolicy> byPrefix;

  private HistoryPolicies(HistoryPolicy defaultPolicy, Map<String, HistoryPolicy> byPrefix) {
    this.defaultPolicy = defaultPolicy;
    this.byPrefix = Map.copyOf(byPrefix);
  }

  /**
   * {@return policies that apply {@code policy} to every thread}
   *
   * @param policy the history policy
   */
  public static HistoryPolicies uniform(HistoryPolicy policy) {
    return new HistoryPolicies(Objects.requireNonNull(policy, "policy"), Map.of());
  }

  /**
   * {@return a copy in which threads whose id starts with {@code prefix} use {@code policy}}
   *
   * @param prefix the thread id prefix
   * @param policy the history policy
   * @throws IllegalArgumentException if {@code prefix} is empty
   */
  public HistoryPolicies withPrefix(String prefix, HistoryPolicy policy) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(policy, "policy");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
    Map<String, HistoryPolicy> copy = new LinkedHashMap<>(byPrefix);
    copy.put(prefix, policy);
    return new HistoryPolicies(defaultPolicy, copy);
  }

  /**
   * {@return the policy for {@code thread}}
   *
   * @param thread the thread
   */
  public HistoryPolicy policyFor(ThreadId thread) {
    if (byPrefix.isEmpty()) {
      return defaultPolicy;
    }
    String id = thread.value();
    String best = null;
    for (String prefix : byPrefix.keySet()) {
      if (id.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? defaultPolicy : byPrefix.get(best);
  }

  /** {@return the policy for threads no prefix matches} */
  public HistoryPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /** {@return the prefix overrides} */
  public Map<String, HistoryPolicy> prefixOverrides() {
    return byPrefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryPolicies p
        && defaultPolicy.equals(p.defaultPolicy)
        && byPrefix.equals(p.byPrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaultPolicy, byPrefix);
  }

  @Override
  public String toString() {
    return "HistoryPolicies{default=" + defaultPolicy + ", byPrefix=" + byPrefix + "}";
  }
}
