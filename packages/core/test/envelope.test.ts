import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  EnvelopeError,
  openSecret,
  parseKeyEncryptionKeys,
  rewrapSecret,
  sealSecret,
} from "../src/envelope.js";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");

describe("envelope encryption", () => {
  it("seals with a fresh data key and opens only for the same organization and credential", () => {
    const keks = parseKeyEncryptionKeys(`1:${k1}`);
    const a = sealSecret(keks, "sk-live-secret", "org_a", "crd_1");
    const b = sealSecret(keks, "sk-live-secret", "org_a", "crd_1");
    expect(a.ciphertext).not.toBe(b.ciphertext); // random data key and IV each time
    expect(JSON.stringify(a)).not.toContain("sk-live-secret");
    expect(openSecret(keks, a, "org_a", "crd_1")).toBe("sk-live-secret");
    expect(() => openSecret(keks, a, "org_b", "crd_1")).toThrow(EnvelopeError);
    expect(() => openSecret(keks, { ...a, ciphertext: b.ciphertext }, "org_a", "crd_1")).toThrow(
      EnvelopeError,
    );
  });

  it("rotates the key-encryption key by re-wrapping, losing nothing", () => {
    const old = parseKeyEncryptionKeys(`1:${k1}`);
    const sealed = sealSecret(old, "sk-rotate-me", "org_a", "crd_9");
    const both = parseKeyEncryptionKeys(`2:${k2},1:${k1}`);
    const rewrapped = { ...sealed, ...rewrapSecret(both, sealed, "org_a", "crd_9") };
    expect(rewrapped.keyVersion).toBe(2);
    expect(rewrapped.ciphertext).toBe(sealed.ciphertext);
    const onlyNew = parseKeyEncryptionKeys(`2:${k2}`);
    expect(openSecret(onlyNew, rewrapped, "org_a", "crd_9")).toBe("sk-rotate-me");
    expect(() => openSecret(onlyNew, sealed, "org_a", "crd_9")).toThrow(/version 1 is not configured/);
    const wrong = parseKeyEncryptionKeys(`1:${k2}`);
    expect(() => openSecret(wrong, sealed, "org_a", "crd_9")).toThrow(/could not be unwrapped/);
  });

  it("rejects malformed key configuration", () => {
    expect(() => parseKeyEncryptionKeys("")).toThrow(EnvelopeError);
    expect(() => parseKeyEncryptionKeys("1:short")).toThrow(/32 bytes/);
  });
});
