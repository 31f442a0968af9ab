// The published package: `npm pack --dry-run` lists exactly the files a user needs, the version
// is the Java artifacts' release version, nothing is needed at run time, and the package name
// resolves to the module through its exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

test('npm pack ships the module, its declarations, the README and package.json only', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  const [info] = JSON.parse(out);
  assert.equal(info.name, 'threadwire-client');
  assert.equal(info.filename, `threadwire-client-${pkg.version}.tgz`);
  assert.deepEqual(info.files.map((f) => f.path).sort(), [
    'README.md',
    'package.json',
    'src/threadwire-client.d.ts',
    'src/threadwire-client.js',
  ]);
  assert.ok(info.size < 40 * 1024, `tarball is ${info.size} bytes`);
});

test('the version is the Java artifacts version without -SNAPSHOT', () => {
  const pom = readFileSync(path.join(root, '..', '..', 'pom.xml'), 'utf8');
  const parent = pom.match(/<artifactId>threadwire-parent<\/artifactId>\s*<version>([^<]+)<\/version>/);
  assert.ok(parent, 'the root pom has a version');
  assert.equal(pkg.version, parent[1].replace(/-SNAPSHOT$/, ''));
});

test('no runtime dependencies; an ES module with types for Node 20+', () => {
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.exports['.'].types, './src/threadwire-client.d.ts');
  assert.equal(pkg.engines.node, '>=20');
  const source = readFileSync(path.join(root, 'src', 'threadwire-client.js'), 'utf8');
  assert.doesNotMatch(source, /^\s*import\s/m, 'the module imports nothing');
});

test('the package name resolves to the module through its exports', async () => {
  const byName = await import('threadwire-client');
  const byPath = await import('../src/threadwire-client.js');
  assert.equal(byName.ThreadwireClient, byPath.ThreadwireClient);
  assert.equal(byName.PROTOCOL_VERSION, 1);
});

test('the declarations declare exactly the values the module exports', async () => {
  const dts = readFileSync(path.join(root, 'src', 'threadwire-client.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export declare (?:const|class|function) (\w+)/gm)].map((m) => m[1]);
  const exported = Object.keys(await import('../src/threadwire-client.js'));
  assert.deepEqual(declared.sort(), exported.sort());
});
