import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Envelope encryption for secrets at rest (BYOK provider keys): each secret gets its own random data key
 * (AES-256-GCM); the data key is wrapped by a key-encryption key (KEK) that lives only in the environment, never in
 * Postgres. The organization and credential ids are authenticated as associated data, so a ciphertext copied to
 * another row or tenant fails to decrypt. Rotating the KEK re-wraps data keys; secrets are never re-encrypted.
 */
export type KeyEncryptionKeys = { current: { version: number; key: Buffer }; all: Map<number, Buffer> };

export type SealedSecret = {
  ciphertext: string;
  iv: string;
  authTag: string;
  wrappedDataKey: string;
  keyVersion: number;
};

export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

/** Parses `JUNCTION_KEKS`: "2:<base64 32 bytes>,1:<base64 32 bytes>" — the first is the current one. */
export function parseKeyEncryptionKeys(text: string): KeyEncryptionKeys {
  const entries = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [version, encoded] = part.split(":");
      const key = Buffer.from(encoded ?? "", "base64");
      if (!/^\d+$/.test(version ?? "") || key.length !== 32) {
        throw new EnvelopeError("JUNCTION_KEKS entries must be <version>:<base64 of 32 bytes>");
      }
      return [Number(version), key] as const;
    });
  const first = entries[0];
  if (!first) throw new EnvelopeError("JUNCTION_KEKS is empty");
  return { current: { version: first[0], key: first[1] }, all: new Map(entries) };
}

function seal(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; data: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, data, tag: cipher.getAuthTag() };
}

function open(key: Buffer, iv: Buffer, data: Buffer, tag: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

const aadFor = (organizationId: string, credentialId: string) =>
  `junction:byok:${organizationId}:${credentialId}`;

function wrap(keks: KeyEncryptionKeys, dataKey: Buffer, aad: string): string {
  const wrapped = seal(keks.current.key, dataKey, aad);
  return [wrapped.iv, wrapped.data, wrapped.tag].map((part) => part.toString("base64")).join(".");
}

function unwrap(
  keks: KeyEncryptionKeys,
  sealed: Pick<SealedSecret, "wrappedDataKey" | "keyVersion">,
  aad: string,
): Buffer {
  const kek = keks.all.get(sealed.keyVersion);
  if (!kek) throw new EnvelopeError(`key-encryption key version ${sealed.keyVersion} is not configured`);
  const [iv, data, tag] = sealed.wrappedDataKey.split(".").map((part) => Buffer.from(part, "base64"));
  try {
    return open(kek, iv as Buffer, data as Buffer, tag as Buffer, aad);
  } catch {
    throw new EnvelopeError(
      `data key could not be unwrapped with key-encryption key version ${sealed.keyVersion}`,
    );
  }
}

export function sealSecret(
  keks: KeyEncryptionKeys,
  secret: string,
  organizationId: string,
  credentialId: string,
): SealedSecret {
  const aad = aadFor(organizationId, credentialId);
  const dataKey = randomBytes(32);
  const sealed = seal(dataKey, Buffer.from(secret, "utf8"), aad);
  return {
    ciphertext: sealed.data.toString("base64"),
    iv: sealed.iv.toString("base64"),
    authTag: sealed.tag.toString("base64"),
    wrappedDataKey: wrap(keks, dataKey, aad),
    keyVersion: keks.current.version,
  };
}

export function openSecret(
  keks: KeyEncryptionKeys,
  sealed: SealedSecret,
  organizationId: string,
  credentialId: string,
): string {
  const aad = aadFor(organizationId, credentialId);
  const dataKey = unwrap(keks, sealed, aad);
  try {
    return open(
      dataKey,
      Buffer.from(sealed.iv, "base64"),
      Buffer.from(sealed.ciphertext, "base64"),
      Buffer.from(sealed.authTag, "base64"),
      aad,
    ).toString("utf8");
  } catch {
    throw new EnvelopeError("secret could not be decrypted (tampered, or bound to another credential)");
  }
}

/** Re-wraps a secret's data key under the current KEK (rotation); the ciphertext is untouched. */
export function rewrapSecret(
  keks: KeyEncryptionKeys,
  sealed: SealedSecret,
  organizationId: string,
  credentialId: string,
): Pick<SealedSecret, "wrappedDataKey" | "keyVersion"> {
  const aad = aadFor(organizationId, credentialId);
  const dataKey = unwrap(keks, sealed, aad);
  return { wrappedDataKey: wrap(keks, dataKey, aad), keyVersion: keks.current.version };
}
