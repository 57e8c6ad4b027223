/** Joins class names, skipping falsy values. No merging: callers add classes that do not conflict. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
