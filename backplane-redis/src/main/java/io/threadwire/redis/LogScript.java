package io.threadwire.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The log's Lua script ({@code thread-log.lua}): loaded with SCRIPT LOAD at start, called with
 * EVALSHA, and sent in full with EVAL only when Redis answers NOSCRIPT (its script cache was
 * flushed or it restarted), which also loads it again.
 */
final class LogScript {

  private final byte[] source;
  private final String sha;

  private LogScript(byte[] source) {
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  static LogScript load() {
    return load("thread-log.lua");
  }

  /** Loads the script resource {@code name} beside this class (the presence script, say). */
  static LogScript load(String name) {
    try (InputStream in = LogScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new LogScript(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String sha() {
    return sha;
  }

  byte[] source() {
    return source;
  }

  /** Runs the script; NOSCRIPT falls back to EVAL once, other failures pass through. */
  CompletableFuture<List<Object>> run(
      RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
    CompletableFuture<List<Object>> first =
        redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
    return first.exceptionallyCompose(
        e -> {
          Throwable cause =
              e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof RedisNoScriptException) {
            return redis
                .<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture();
          }
          return CompletableFuture.failedFuture(cause);
        });
  }
}
