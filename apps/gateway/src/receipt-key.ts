import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createReceiptSigner, type ReceiptSigner } from "@junction/core";

const devKeyPath = join(dirname(fileURLToPath(import.meta.url)), "../../../.junction/receipt-key.pem");

/**
 * The Ed25519 key that signs receipts: JUNCTION_RECEIPT_PRIVATE_KEY (PEM or base64 PKCS#8 DER) in production, so
 * every gateway instance signs with the same key; otherwise a development key generated once into .junction/.
 */
export function loadReceiptSigner(
  configured: string | undefined,
  log: (message: string) => void,
): ReceiptSigner {
  if (configured) return createReceiptSigner(configured.replace(/\\n/g, "\n"));
  if (!existsSync(devKeyPath)) {
    mkdirSync(dirname(devKeyPath), { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(devKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }), {
      mode: 0o600,
      flag: "wx",
    });
    log(
      `generated a development receipt key at ${devKeyPath}; set JUNCTION_RECEIPT_PRIVATE_KEY in production`,
    );
  }
  return createReceiptSigner(readFileSync(devKeyPath, "utf8"));
}
