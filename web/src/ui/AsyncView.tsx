/** Renders loading / error / ready states of a `useAsync` result the same way everywhere. */
import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage.tsx';
import type { AsyncState } from './useAsync.ts';

interface AsyncViewProps<T> {
  readonly state: AsyncState<T>;
  readonly label: string;
  readonly children: (value: T) => ReactNode;
}

export function AsyncView<T>({ state, label, children }: AsyncViewProps<T>) {
  if (state.status === 'loading') return <p aria-busy="true">Loading {label}…</p>;
  if (state.status === 'error') return <ErrorMessage error={state.error} />;
  return <>{children(state.value)}</>;
}
