/** A host application on the module path, requiring Threadwire's modules by name. */
module com.example.host {
  requires io.threadwire.tyrus;
  requires io.threadwire.inmemory;
  requires io.threadwire.startup;
  requires io.threadwire.micrometer;
  requires java.net.http;

  exports com.example.host;
}
