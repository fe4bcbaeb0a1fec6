/** What a panel shows for data loaded with useLoad: the error, loading, empty, or the data itself. */
import type { ReactNode } from 'react';
import type { Loaded } from '../lib/use-load';
import { Empty, ErrorState, Loading } from './common';

export function LoadState<T>(props: {
  loaded: Pick<Loaded<T>, 'data' | 'error'>;
  /** Names the capability in the "not available on this server" state. */
  what?: string;
  /** True shows the empty state instead of the data. */
  isEmpty?(data: T): boolean;
  /** Text of the empty state (default "no data"). */
  empty?: ReactNode;
  children(data: T): ReactNode;
}): ReactNode {
  const { loaded } = props;
  if (loaded.error !== undefined) return <ErrorState error={loaded.error} what={props.what} />;
  if (!loaded.data) return <Loading />;
  if (props.isEmpty?.(loaded.data)) return <Empty>{props.empty}</Empty>;
  return props.children(loaded.data);
}
