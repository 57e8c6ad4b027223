/**
 * Appends every item of `items` to `target`. `target.push(...items)` passes each item as an argument, and past
 * ~125,000 of them (a client's content parts, say) V8 throws a RangeError.
 */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
