import type { MouseEvent } from 'react';

/** Radix-style: run the consumer's handler first; it can preventDefault() to skip ours. */
export function composeHandler<E extends MouseEvent>(theirs: ((event: E) => void) | undefined, ours: () => void) {
  return (event: E) => {
    theirs?.(event);
    if (!event.defaultPrevented) ours();
  };
}
