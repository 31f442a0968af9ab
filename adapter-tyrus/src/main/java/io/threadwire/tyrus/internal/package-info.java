/**
 * Not API, may change without notice: the endpoint shell Tyrus instantiates and calls reflectively,
 * public only for that; not exported by the {@code io.threadwire.tyrus} module, only opened to
 * Tyrus.
 */
package io.threadwire.tyrus.internal;
