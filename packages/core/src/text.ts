/** Text Postgres can store: NUL and unpaired surrogates, which it refuses in text and jsonb, become U+FFFD. */
export const storableText = (text: string): string => text.toWellFormed().replaceAll("\0", "\uFFFD");
