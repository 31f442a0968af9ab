// Starts the real Tyrus server (clients/js/test-server/java, compiled by Maven) in its own JVM
// and talks to its HTTP control channel. Maven passes where the classes and the classpath file
// are; run by hand, build them first with `mvn -B -pl clients/js -am test-compile dependency:build-classpath`
// (see the README), and the defaults below find them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(here, '../../target');

function classpath() {
  const classes = process.env.THREADWIRE_TEST_SERVER_CLASSES ?? path.join(target, 'test-classes');
  const file =
    process.env.THREADWIRE_TEST_SERVER_CLASSPATH_FILE ?? path.join(target, 'test-server.classpath');
  let deps;
  try {
    deps = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new Error(
      `no test-server classpath at ${file}: build it with ` +
        '`mvn -B -pl clients/js -am -DskipTests install` or run the tests through `mvn -B verify`',
      { cause: e },
    );
  }
  return `${classes}${path.delimiter}${deps}`;
}

/**
 * Starts a server; `settings` are threadwire.* keys of adapter-tyrus's reference.conf (and
 * testserver.tokens), passed as system properties.
 */
export async function startServer(settings = {}) {
  const args = ['-Xss512k', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath()];
  for (const [k, v] of Object.entries(settings)) args.push(`-D${k}=${v}`);
  args.push('io.threadwire.clientjs.TestServer');
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (process.env.THREADWIRE_TEST_VERBOSE) process.stderr.write(d);
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`test server did not start in 30 s\n${stderr}`)), 30000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`test server exited with ${code}\n${stderr}`));
    });
  });
  const { ws, control } = JSON.parse(first);
  return new TestServer(child, ws, control);
}

class TestServer {
  constructor(child, ws, control) {
    this.child = child;
    this.wsUrl = ws;
    this.port = Number(new URL(ws).port);
    this.control = control;
  }

  async call(method, pathAndQuery) {
    const res = await fetch(this.control + pathAndQuery, { method });
    const body = await res.json();
    if (!res.ok) throw new Error(`${method} ${pathAndQuery}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  /** Sends `count` messages to `thread` and resolves with their outcomes. */
  send(thread, count = 1, { size = 0, transient = false } = {}) {
    const q = new URLSearchParams({ thread, count: String(count), size: String(size), transient: String(transient) });
    return this.call('POST', `/send?${q}`);
  }

  async connections(thread) {
    return (await this.call('GET', `/threads/${encodeURIComponent(thread)}`)).connections;
  }

  /** Closes the server and starts a new one (new hub, new epochs) on the same port. */
  restart() {
    return this.call('POST', '/restart');
  }

  setTokens(tokens) {
    return this.call('POST', `/tokens?valid=${encodeURIComponent(tokens.join(','))}`);
  }

  handshakes() {
    return this.call('GET', '/handshakes');
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
}
