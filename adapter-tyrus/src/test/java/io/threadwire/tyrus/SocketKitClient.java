package io.threadwire.tyrus;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import java.util.ArrayList;
import java.util.List;

/** A kit client over a real socket: every call is a wire-protocol frame. */
final class SocketKitClient implements KitClient {

  private final TestClient client;
  private final ConnectionId id;

  SocketKitClient(TestClient client) {
    this.client = client;
    this.id = ConnectionId.of(client.connectionId());
  }

  @Override
  public ConnectionId id() {
    return id;
  }

  @Override
  public KitJoin join(ThreadId thread) {
    return toKit(client.awaitRef(client.send("join", "thread", thread.value())));
  }

  @Override
  public KitJoin join(ThreadId thread, long sinceOffset) {
    return toKit(
        client.awaitRef(client.send("join", "thread", thread.value(), "since", sinceOffset)));
  }

  @Override
  public boolean supportsEpoch() {
    return true;
  }

  @Override
  public KitJoin join(ThreadId thread, long epoch, long sinceOffset) {
    return toKit(
        client.awaitRef(
            client.send("join", "thread", thread.value(), "since", sinceOffset, "epoch", epoch)));
  }

  private static KitJoin toKit(JsonNode reply) {
    if ("joined".equals(reply.path("type").asText())) {
      return KitJoin.accepted(
          reply.path("epoch").asLong(),
          reply.path("offset").asLong(),
          reply.path("recovered").asBoolean(),
          reply.path("missed").asLong());
    }
    return KitJoin.refused(reply.path("code").asText());
  }

  @Override
  public void leave(ThreadId thread) {
    client.awaitRef(client.send("leave", "thread", thread.value()));
  }

  @Override
  public List<KitMessage> received() {
    List<KitMessage> messages = new ArrayList<>();
    for (String raw : client.rawFrames()) {
      JsonNode f = TestClient.parse(raw);
      if ("message".equals(f.path("type").asText())) {
        messages.add(
            new KitMessage(
                ThreadId.of(f.path("thread").asText()),
                f.path("offset").asLong(),
                f.path("id").asText(),
                TestClient.payloadText(raw)));
      }
    }
    return messages;
  }

  @Override
  public void close() {
    client.close();
  }
}
