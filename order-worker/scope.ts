/**
 * Restricts the worker's loops to some drops (tests share one database); undefined means every drop.
 * Called on each tick, so the list may grow.
 */
export type DropScope = () => readonly string[];

/** SQL parameters for `(${all} or drop_id = any(${ids}::uuid[]))`. */
export const scopeParams = (scope: DropScope | undefined): { all: boolean; ids: string[] } =>
  scope === undefined ? { all: true, ids: [] } : { all: false, ids: [...scope()] };
