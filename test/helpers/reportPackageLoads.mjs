// Preloaded into a server process (node --import) by tests that check which npm packages it loads: prints
// `package loaded: <name>` the first time a bare import of a package is resolved. The built server has most
// packages built in, so what it still imports is what this sees (scripts/build-server.mjs, EXTERNAL). When the
// process exits it prints `node fetch loaded: yes|no`: whether Node's built-in fetch (undici) was ever loaded.
import { isBuiltin, registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    // Bare specifiers only: not Node's own modules, relative paths or URLs.
    const bare = !isBuiltin(specifier) && !/^[./]|^[a-z]+:/i.test(specifier);
    const name = bare ? /^(?:@[^/]+\/)?[^/]+/.exec(specifier)?.[0] : undefined;
    if (name && !seen.has(name)) {
      seen.add(name);
      process.stdout.write(`package loaded: ${name}\n`);
    }
    return next(specifier, context);
  },
});

process.on('exit', () => {
  const fetchLoaded = process.moduleLoadList.some((m) => m.includes('internal/deps/undici'));
  process.stdout.write(`node fetch loaded: ${fetchLoaded ? 'yes' : 'no'}\n`);
});
