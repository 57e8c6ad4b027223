import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCaller,
  createTRPCContext,
  isSessionActive,
  newSessionId,
  registerSession,
} from "../src/index";
import { createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const as = (userId: string, sessionId: string) =>
  createCaller(createTRPCContext(h.services, { session: { userId, activeOrganizationId: null, sessionId } }));

describe("session revocation", () => {
  it("lists the user's sessions, ends one, and signs out all the others but this one", async () => {
    const { userId } = await signUpUser(h, "Sam");
    const ids = [newSessionId(), newSessionId(), newSessionId()] as const;
    for (const [index, id] of ids.entries()) {
      await registerSession(h.redis, h.prefix, userId, {
        id,
        ip: `198.51.100.${index}`,
        userAgent: `Browser ${index}`,
      });
    }
    const api = as(userId, ids[0]);
    const listed = await api.sessions.list();
    expect(listed.map((session) => session.id).sort()).toEqual([...ids].sort());
    expect(listed.find((session) => session.current)?.id).toBe(ids[0]);
    expect(listed.find((session) => session.id === ids[1])).toMatchObject({
      ip: "198.51.100.1",
      userAgent: "Browser 1",
    });

    await api.sessions.revoke({ id: ids[1] });
    expect(await isSessionActive(h.redis, h.prefix, userId, ids[1])).toBe(false);
    expect(await isSessionActive(h.redis, h.prefix, userId, ids[2])).toBe(true);

    expect(await api.sessions.revokeOthers()).toEqual({ ended: 1 });
    expect(await isSessionActive(h.redis, h.prefix, userId, ids[0])).toBe(true);
    expect(await isSessionActive(h.redis, h.prefix, userId, ids[2])).toBe(false);
    expect((await api.sessions.list()).map((session) => session.id)).toEqual([ids[0]]);
  });

  it("never touches another user's sessions; tokens without a registered id are not active", async () => {
    const alice = await signUpUser(h, "Alice");
    const mallory = await signUpUser(h, "Mallory");
    const aliceSession = newSessionId();
    await registerSession(h.redis, h.prefix, alice.userId, { id: aliceSession });
    const error = await as(mallory.userId, newSessionId())
      .sessions.revoke({ id: aliceSession })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error instanceof TRPCError && error.code).toBe("NOT_FOUND");
    await as(mallory.userId, newSessionId()).sessions.revokeOthers();
    expect(await isSessionActive(h.redis, h.prefix, alice.userId, aliceSession)).toBe(true);
    expect(await isSessionActive(h.redis, h.prefix, alice.userId, undefined)).toBe(false);
    expect(await isSessionActive(h.redis, h.prefix, alice.userId, "forged")).toBe(false);
  });
});
