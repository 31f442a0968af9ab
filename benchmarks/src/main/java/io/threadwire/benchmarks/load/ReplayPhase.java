package io.threadwire.benchmarks.load;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** History replay: a client joining with {@code since=0} receives everything it missed. */
final class ReplayPhase {

  private ReplayPhase() {}

  static void run(Rig rig, Options options, Report report)
      throws IOException, InterruptedException {
    ThreadId thread = ThreadId.of("replay.t");
    int count = options.replayMessages;
    for (int seq = 1; seq <= count; seq++) {
      SendOutcome o =
          rig.server
              .send(thread, Message.builder(Publisher.payload(seq, 0, 200)).id("r" + seq).build())
              .toCompletableFuture()
              .join();
      if (o.status() != SendOutcome.Status.QUEUED) {
        throw new IOException("replay history: expected QUEUED, got " + o);
      }
    }
    List<Double> millis = new ArrayList<>();
    String last = "";
    for (int rep = 0; rep < options.repetitions; rep++) {
      try {
        last = rig.client.command("replay " + thread.value() + " 0 " + count + " 60000", Rig.REPLY);
      } catch (IOException e) {
        last = e.getMessage();
        continue; // reported below, and as a missed target
      }
      Map<String, String> f = ClientProcess.fields(last);
      if (Long.parseLong(f.get("received")) == count) {
        millis.add(Double.parseDouble(f.get("millis")));
      }
    }
    double median = Report.median(millis);
    report.target(
        "history replay: every join with since=0 receives all " + count + " messages",
        millis.size() + " of " + options.repetitions + " complete",
        millis.size() == options.repetitions);
    report.section(
        "History replay",
        "A thread holds "
            + count
            + " messages of 200 B sent while nobody listened (QUEUED). A fresh connection joins"
            + " with since=0; time from writing the join frame to the last replayed message,"
            + " median of "
            + options.repetitions
            + ". Last reply: `"
            + last
            + "`.");
    report.table(
        new String[] {"messages", "median time", "messages/s"},
        List.<String[]>of(
            new String[] {
              Integer.toString(count), Report.f1(median) + " ms", Report.f0(count / median * 1e3)
            }));
  }
}
