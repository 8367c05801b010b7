// Linking a JavaScript/TypeScript program's files into modules (client/src/runner/sandbox/linkModules.ts).
import { describe, expect, it } from 'vitest';
import { LinkError, linkModules } from '../../../client/src/runner/sandbox/linkModules.ts';

/** Modules "served" under fake URLs, so the test can read what each one became. */
function fakeLinker() {
  const modules = new Map<string, string>();
  return {
    modules,
    options: {
      compile: (file: { name: string; text: string }) => file.text.replace(': number', ''),
      makeUrl: (code: string) => {
        const url = `mod:${modules.size}`;
        modules.set(url, code);
        return url;
      },
    },
  };
}

describe('linkModules', () => {
  it('rewrites relative imports to the URLs of the files they name, dependencies first', () => {
    const { modules, options } = fakeLinker();
    const entry = linkModules(
      [
        {
          name: 'main.ts',
          text: 'import { twice } from "./util.js";\nimport "./side";\nconst n: number = 1;',
        },
        { name: 'util.ts', text: "export { x } from './consts.mjs';\nexport const twice = (v) => 2 * v;" },
        { name: 'consts.mjs', text: 'export const x = 1;' },
        { name: 'side.js', text: 'const later = await import("./consts.mjs");' },
        { name: 'notes.md', text: 'import x from "./nothing"' },
      ],
      'main.ts',
      options,
    );
    expect([...modules.values()]).toEqual([
      'export const x = 1;',
      "export { x } from 'mod:0';\nexport const twice = (v) => 2 * v;",
      'const later = await import("mod:0");',
      'import { twice } from "mod:1";\nimport "mod:2";\nconst n = 1;',
    ]);
    expect(entry).toBe('mod:3');
  });

  it('refuses a missing file, a circular import and an unknown entry, before anything runs', () => {
    const { options } = fakeLinker();
    expect(() => linkModules([{ name: 'a.js', text: 'import "./b.js"' }], 'a.js', options)).toThrow(
      /a\.js: cannot find "\.\/b\.js"/,
    );
    const cycle = [
      { name: 'a.js', text: 'import "./b.js"' },
      { name: 'b.js', text: 'import "./a.js"' },
    ];
    expect(() => linkModules(cycle, 'a.js', options)).toThrow(LinkError);
    expect(() => linkModules(cycle, 'a.js', options)).toThrow(/circular/);
    expect(() => linkModules(cycle, 'c.js', options)).toThrow(/no file named c\.js/);
  });
});
