import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../src/auth/tokens";
import { memoryMailer } from "../src/index";
import { addMember, codeOf, createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
const mailbox = memoryMailer();
let owner: Awaited<ReturnType<typeof signUpUser>>;

beforeAll(async () => {
  h = await createHarness({ mailer: mailbox });
  owner = await signUpUser(h, "Owner");
});
afterAll(async () => {
  await h?.close();
});

const tokenOf = (link: string) => link.split("/invite/")[1] ?? "";

describe("invitations", () => {
  it("owner invites by email: the link is mailed, only its hash stored, and it can be copied again", async () => {
    const api = h.as(owner.userId);
    const created = await api.invitations.create({ email: "New.Person@Example.com", role: "admin" });
    expect(created.email).toBe("new.person@example.com");
    expect(created.link).toMatch(/^http:\/\/dashboard\.test\/invite\/[\w-]{43}$/);
    expect(created.emailed).toBe(true);
    const mail = mailbox.sent.at(-1);
    expect(mail?.to).toBe("new.person@example.com");
    expect(mail?.text).toContain(created.link);
    const row = await h.db.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(tokenOf(created.link)));
    expect(JSON.stringify(row)).not.toContain(tokenOf(created.link));
    expect(await api.invitations.link({ id: created.id })).toEqual({ link: created.link });
    expect((await api.invitations.list()).map((item) => item.id)).toContain(created.id);
  });

  it("only owners manage invitations", async () => {
    const admin = await addMember(h.db, owner.organizationId, "admin");
    const api = h.as(admin.userId);
    expect(await codeOf(api.invitations.create({ email: "a@example.com", role: "member" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(api.invitations.list())).toBe("FORBIDDEN");
    const created = await h.as(owner.userId).invitations.create({ email: "b@example.com", role: "member" });
    expect(await codeOf(api.invitations.revoke({ id: created.id }))).toBe("FORBIDDEN");
    expect(await codeOf(api.invitations.link({ id: created.id }))).toBe("FORBIDDEN");
    expect((await h.db.invitation.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull();
  });

  it("the invited person previews signed out, signs up with that address and joins with the role", async () => {
    const created = await h
      .as(owner.userId)
      .invitations.create({ email: "joiner@example.com", role: "viewer" });
    const token = tokenOf(created.link);
    const preview = await h.as(null).invitations.preview({ token });
    expect(preview).toMatchObject({
      email: "joiner@example.com",
      role: "viewer",
      state: "pending",
      signedInEmail: null,
      hasAccount: false,
    });
    expect(preview.organizationName).toBe("Owner's organization");

    expect(await codeOf(h.as(null).invitations.accept({ token }))).toBe("UNAUTHORIZED");
    const stranger = await signUpUser(h, "Stranger");
    expect(await codeOf(h.as(stranger.userId).invitations.accept({ token }))).toBe("FORBIDDEN");

    await h
      .as(null)
      .auth.signUp({ name: "Joiner", email: "joiner@example.com", password: "correct horse battery" });
    const joiner = await h.db.user.findUniqueOrThrow({ where: { email: "joiner@example.com" } });
    expect((await h.as(joiner.id).invitations.preview({ token })).signedInEmail).toBe("joiner@example.com");
    const accepted = await h.as(joiner.id).invitations.accept({ token });
    expect(accepted).toMatchObject({ organizationId: owner.organizationId, role: "viewer" });
    const membership = await h.db.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: owner.organizationId, userId: joiner.id } },
    });
    expect(membership.role).toBe("viewer");
    // Single use; gone from the pending list.
    expect(await codeOf(h.as(joiner.id).invitations.accept({ token }))).toBe("CONFLICT");
    expect((await h.as(null).invitations.preview({ token })).state).toBe("accepted");
    expect((await h.as(owner.userId).invitations.list()).map((item) => item.id)).not.toContain(created.id);
    // Members are not invited twice.
    expect(
      await codeOf(h.as(owner.userId).invitations.create({ email: "joiner@example.com", role: "member" })),
    ).toBe("CONFLICT");
  });

  it("revoked, replaced and expired invitations cannot be accepted", async () => {
    const api = h.as(owner.userId);
    const invitee = await signUpUser(h, "Invitee");
    const first = await api.invitations.create({ email: invitee.email, role: "member" });
    const second = await api.invitations.create({ email: invitee.email, role: "admin" });
    expect(await codeOf(h.as(invitee.userId).invitations.accept({ token: tokenOf(first.link) }))).toBe(
      "CONFLICT",
    );
    await api.invitations.revoke({ id: second.id });
    expect((await h.as(null).invitations.preview({ token: tokenOf(second.link) })).state).toBe("revoked");
    expect(await codeOf(h.as(invitee.userId).invitations.accept({ token: tokenOf(second.link) }))).toBe(
      "CONFLICT",
    );
    expect(await codeOf(api.invitations.link({ id: second.id }))).toBe("NOT_FOUND");

    const third = await api.invitations.create({ email: invitee.email, role: "member" });
    await h.db.invitation.update({ where: { id: third.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await h.as(null).invitations.preview({ token: tokenOf(third.link) })).state).toBe("expired");
    expect(await codeOf(h.as(invitee.userId).invitations.accept({ token: tokenOf(third.link) }))).toBe(
      "CONFLICT",
    );
    expect(
      await h.db.membership.count({
        where: { organizationId: owner.organizationId, userId: invitee.userId },
      }),
    ).toBe(0);
    expect(await codeOf(h.as(null).invitations.preview({ token: "x".repeat(43) }))).toBe("NOT_FOUND");
  });
});
