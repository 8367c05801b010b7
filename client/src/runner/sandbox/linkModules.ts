// Lets a JavaScript or TypeScript program import the document's other files: each file becomes a module at
// a URL of its own (a blob: URL in the worker), with its relative imports (`./util.js`, `./util`, a `.js`
// name for a `.ts` file) rewritten to the URLs of the files they name. File names are flat (no folders).
// Circular imports are refused: a module's URL must exist before the modules importing it.

export interface ModuleSource {
  name: string;
  text: string;
}

export interface LinkOptions {
  /** The module's code as it will run (TypeScript types removed). */
  compile(file: ModuleSource): string;
  /** A URL that serves `code` as a JavaScript module. */
  makeUrl(code: string): string;
}

const SCRIPT = /\.(m?js|m?ts)$/i;
/** `from './x'`, `import './x'` and `import('./x')` with a relative specifier. */
const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.\/[^'"\n]+)\2/g;

export class LinkError extends Error {
  override name = 'LinkError';
}

/** The URL of `entry` with everything it imports linked; throws LinkError for a missing file or a cycle. */
export function linkModules(files: readonly ModuleSource[], entry: string, options: LinkOptions): string {
  const sources = new Map(files.filter((f) => SCRIPT.test(f.name)).map((f) => [f.name, f]));
  const urls = new Map<string, string>();
  const linking = new Set<string>();

  const resolve = (from: string, specifier: string): string => {
    const name = specifier.slice(2);
    const stem = name.replace(/\.m?js$/i, '');
    const candidates = [
      name,
      `${name}.js`,
      `${name}.ts`,
      `${name}.mjs`,
      `${name}.mts`,
      `${stem}.ts`,
      `${stem}.mts`,
    ];
    const found = candidates.find((c) => sources.has(c));
    if (!found) throw new LinkError(`${from}: cannot find "${specifier}" among this document's files`);
    return found;
  };

  const urlOf = (name: string): string => {
    const known = urls.get(name);
    if (known) return known;
    if (linking.has(name)) throw new LinkError(`${name}: circular imports are not supported by the runner`);
    linking.add(name);
    const code = options
      .compile(sources.get(name)!)
      .replace(RELATIVE_IMPORT, (_match, prefix: string, quote: string, specifier: string) => {
        return `${prefix}${quote}${urlOf(resolve(name, specifier))}${quote}`;
      });
    linking.delete(name);
    const url = options.makeUrl(code);
    urls.set(name, url);
    return url;
  };

  if (!sources.has(entry)) throw new LinkError(`no file named ${entry}`);
  return urlOf(entry);
}
