import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * The dashboard's signed-in sessions, per user, in Redis. next-auth sessions here are JWTs (the Credentials
 * provider requires them), which the server cannot delete; so each carries a random session id, and the jwt
 * callback accepts a token only while its id is still registered. Revoking a session (or "sign out other
 * sessions") removes ids, and those browsers are signed out on their next request, on every dashboard instance.
 */
export type SessionInfo = { id: string; createdAt: string; userAgent: string | null; ip: string | null };

/** Longer than the longest session (30 days); refreshed at every sign-in. */
const REGISTRY_TTL_SECONDS = 31 * 24 * 60 * 60;
/** Oldest sessions beyond this many per user are dropped at sign-in (bounded memory per user). */
const MAX_SESSIONS = 50;

const registryKey = (prefix: string, userId: string) => `${prefix}:sessions:active:${userId}`;

export function newSessionId(): string {
  return randomBytes(18).toString("base64url");
}

export async function registerSession(
  redis: Redis,
  prefix: string,
  userId: string,
  session: { id: string; userAgent?: string | null | undefined; ip?: string | null | undefined },
): Promise<void> {
  const key = registryKey(prefix, userId);
  const info: SessionInfo = {
    id: session.id,
    createdAt: new Date().toISOString(),
    userAgent: session.userAgent?.slice(0, 300) ?? null,
    ip: session.ip ?? null,
  };
  await redis.multi().hset(key, session.id, JSON.stringify(info)).expire(key, REGISTRY_TTL_SECONDS).exec();
  if ((await redis.hlen(key)) <= MAX_SESSIONS) return;
  const all = await listSessions(redis, prefix, userId);
  await redis.hdel(key, ...all.slice(MAX_SESSIONS).map((entry) => entry.id));
}

export async function isSessionActive(
  redis: Redis,
  prefix: string,
  userId: string,
  sessionId: string | undefined,
): Promise<boolean> {
  if (!sessionId) return false;
  return (await redis.hexists(registryKey(prefix, userId), sessionId)) === 1;
}

/** The user's sessions, newest first. */
export async function listSessions(redis: Redis, prefix: string, userId: string): Promise<SessionInfo[]> {
  const entries = await redis.hgetall(registryKey(prefix, userId));
  return Object.values(entries)
    .flatMap((text) => {
      try {
        return [JSON.parse(text) as SessionInfo];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function revokeSession(
  redis: Redis,
  prefix: string,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  return (await redis.hdel(registryKey(prefix, userId), sessionId)) === 1;
}

/** Ends every session of the user except `keepId`; returns how many ended. */
export async function revokeOtherSessions(
  redis: Redis,
  prefix: string,
  userId: string,
  keepId: string | undefined,
): Promise<number> {
  const others = (await redis.hkeys(registryKey(prefix, userId))).filter((id) => id !== keepId);
  if (!others.length) return 0;
  return redis.hdel(registryKey(prefix, userId), ...others);
}

/** Ends every session of the user (a password reset): each browser is signed out on its next request. */
export async function revokeAllSessions(redis: Redis, prefix: string, userId: string): Promise<void> {
  await redis.del(registryKey(prefix, userId));
}
