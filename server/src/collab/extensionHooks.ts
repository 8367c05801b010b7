// Which Hocuspocus hooks the configured extensions really use. Hocuspocus also lists its configuration's own
// hooks as an extension; Tandem's CollabService passes none there, so those are Hocuspocus's no-op defaults and
// do not count.
import type { Extension, Hocuspocus } from '@hocuspocus/server';

type HookName = keyof Extension & keyof Hocuspocus['configuration'];

/** True when an extension (other than those `ignore` picks out) runs one of `hooks`. */
export function runsHook(
  instance: Pick<Hocuspocus, 'configuration'>,
  hooks: readonly HookName[],
  ignore: (extension: Extension) => boolean = () => false,
): boolean {
  const { configuration } = instance;
  return configuration.extensions.some(
    (extension) =>
      !ignore(extension) &&
      hooks.some((hook) => typeof extension[hook] === 'function' && extension[hook] !== configuration[hook]),
  );
}
