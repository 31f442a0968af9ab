/**
 * The transport-independent hub every adapter puts behind the port: {@link
 * io.threadwire.hub.ThreadHub} keeps membership, assigns offsets, stores history, fans one encoded
 * frame out to every member and accounts each send's outcome; {@link io.threadwire.hub.HubSettings}
 * holds its bounds and {@link io.threadwire.hub.HubStats} a snapshot of what it holds. Only those
 * three types are public; the rest of the package is internal to the hub.
 */
package io.threadwire.hub;
