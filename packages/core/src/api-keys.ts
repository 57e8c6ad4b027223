import { createHash, hash, randomBytes } from "node:crypto";

/**
 * API keys: `jk_live_` + 32 base62 random characters + a 6-character base62 checksum of the body, so typos are
 * rejected without a database lookup. Only the SHA-256 is stored; the key is shown once.
 */
export const API_KEY_PREFIX = "jk_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;

function base62(bytes: Uint8Array, length: number): string {
  let out = "";
  // Rejection sampling keeps every character uniformly distributed (248 = 4 × 62).
  for (const byte of bytes) {
    if (byte < 248) out += ALPHABET[byte % 62];
    if (out.length === length) return out;
  }
  return out + base62(randomBytes(length), length - out.length);
}

function checksum(body: string): string {
  const digest = createHash("sha256").update(body).digest();
  let value = digest.readBigUInt64BE(0);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out += ALPHABET[Number(value % 62n)];
    value /= 62n;
  }
  return out;
}

export function generateApiKey(): string {
  const body = base62(randomBytes(48), BODY_LENGTH);
  return `${API_KEY_PREFIX}${body}${checksum(body)}`;
}

export function isWellFormedApiKey(key: string): boolean {
  if (!key.startsWith(API_KEY_PREFIX)) return false;
  const rest = key.slice(API_KEY_PREFIX.length);
  if (rest.length !== BODY_LENGTH + CHECKSUM_LENGTH || !/^[0-9A-Za-z]+$/.test(rest)) return false;
  return checksum(rest.slice(0, BODY_LENGTH)) === rest.slice(BODY_LENGTH);
}

export function hashApiKey(key: string): string {
  return hash("sha256", key);
}

/** What lists show: "jk_live_AbC4…9xYz". */
export function apiKeyDisplayPrefix(key: string): string {
  return `${key.slice(0, API_KEY_PREFIX.length + 4)}…${key.slice(-4)}`;
}
