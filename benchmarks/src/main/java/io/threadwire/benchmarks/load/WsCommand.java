package io.threadwire.benchmarks.load;

import java.util.concurrent.CompletableFuture;

/** One command line from standard input; its reply is written by the selector thread. */
final class WsCommand {
  final String[] args;
  final CompletableFuture<Void> replied = new CompletableFuture<>();

  WsCommand(String[] args) {
    this.args = args;
  }

  boolean isQuit() {
    return args.length > 0 && args[0].equals("quit");
  }

  /** Writes the reply line, once, and lets standard input read the next command. */
  void reply(String line) {
    if (replied.isDone()) {
      LoadClient.log("second reply dropped: " + line);
      return;
    }
    LoadClient.emit(line);
    replied.complete(null);
  }
}
