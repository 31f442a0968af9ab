package io.threadwire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable message sent to a thread: an id, a payload text (usually JSON), optional string
 * metadata and an optional idempotency key.
 *
 * <p>Create one with {@link #of(String)} or {@link #builder(String)}:
 *
 * <pre>{@code
 * Message m = Message.builder("{\"type\":\"agent_started\"}")
 *     .id("evt-42")
 *     .metadata("type", "agent_started")
 *     .idempotencyKey("run-7/evt-42")
 *     .build();
 * }</pre>
 *
 * <p>The payload is opaque to Threadwire: it is neither parsed nor validated, only measured (its
 * UTF-8 size counts against history and frame bounds).
 */
public final class Message {

  private final String id;
  private final String payload;
  private final Map<String, String> metadata;
  private final String idempotencyKey;
  private final int payloadBytes;
  private final long sizeEstimate;

  private Message(Builder builder) {
    this.id = builder.id != null ? builder.id : UUID.randomUUID().toString();
    this.payload = builder.payload;
    this.metadata =
        builder.metadata.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
    this.idempotencyKey = builder.idempotencyKey;
    this.payloadBytes = utf8Length(payload);
    // Computed once: a send reads it several times (frame bound, history bound, the log's byte
    // accounting on append and on eviction), and it profiled at several percent of a send.
    long size = payloadBytes + utf8Length(id);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      size += utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    this.sizeEstimate = size;
  }

  /**
   * {@return a message with {@code payload}, a random id and no metadata}
   *
   * @param payload the message text, usually JSON
   */
  public static Message of(String payload) {
    return builder(payload).build();
  }

  /**
   * {@return a builder for a message with {@code payload}}
   *
   * @param payload the message text, usually JSON
   */
  public static Builder builder(String payload) {
    return new Builder(payload);
  }

  /** {@return the message id: the one given to the builder, or a random UUID} */
  public String id() {
    return id;
  }

  /** {@return the payload text exactly as given} */
  public String payload() {
    return payload;
  }

  /** {@return the metadata, in insertion order; empty when none was given} */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * {@return the idempotency key, if any: a retried send with the same key on the same thread
   * within the configured window is neither stored nor delivered again}
   */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** {@return the UTF-8 size of the payload in bytes, computed once} */
  public int payloadBytes() {
    return payloadBytes;
  }

  /**
   * {@return an estimate of the bytes this message occupies in history: payload, id and metadata in
   * UTF-8}
   */
  public long sizeEstimate() {
    return sizeEstimate;
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && id.equals(m.id)
        && payload.equals(m.payload)
        && metadata.equals(m.metadata)
        && Objects.equals(idempotencyKey, m.idempotencyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, payload, metadata, idempotencyKey);
  }

  @Override
  public String toString() {
    return "Message{id=" + id + ", payloadBytes=" + payloadBytes + ", metadata=" + metadata + "}";
  }

  /** Builds a {@link Message}. Not thread-safe; each builder builds any number of messages. */
  public static final class Builder {
    private final String payload;
    private String id;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String idempotencyKey;

    private Builder(String payload) {
      this.payload = Objects.requireNonNull(payload, "payload");
    }

    /**
     * Sets the message id (1-128 characters); defaults to a random UUID.
     *
     * @param id the id
     * @return this builder
     * @throws IllegalArgumentException if {@code id} is empty or longer than 128 characters; the
     *     message names the id
     */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id");
      if (id.isEmpty() || id.length() > 128) {
        throw new IllegalArgumentException(
            "invalid message id " + Values.quote(id) + ": must be 1-128 characters");
      }
      this.id = id;
      return this;
    }

    /**
     * Adds one metadata entry; a later value for the same key replaces the earlier one.
     *
     * @param key the entry's name
     * @param value the entry's text, replacing any earlier value for {@code key}
     * @return this builder
     */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the idempotency key (1-256 characters).
     *
     * @param key the key
     * @return this builder
     * @throws IllegalArgumentException if {@code key} is empty or longer than 256 characters; the
     *     message names the key
     */
    public Builder idempotencyKey(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty() || key.length() > 256) {
        throw new IllegalArgumentException(
            "invalid idempotency key " + Values.quote(key) + ": must be 1-256 characters");
      }
      this.idempotencyKey = key;
      return this;
    }

    /** {@return a new immutable message} */
    public Message build() {
      return new Message(this);
    }
  }
}
