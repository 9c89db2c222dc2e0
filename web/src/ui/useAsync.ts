/** Loads data for a component, re-running when `deps` change, ignoring answers that arrive after unmount. */
import { type DependencyList, useCallback, useEffect, useState } from 'react';

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'ready'; readonly value: T };

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers list what `load` depends on.
  const stableLoad = useCallback(load, deps);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the trigger `reload()` bumps to load again.
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    stableLoad().then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => live && setState({ status: 'error', error: toError(error) }),
    );
    return () => {
      live = false;
    };
  }, [stableLoad, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return [state, reload];
}
