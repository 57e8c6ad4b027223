import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadGatewayEnv } from "@junction/config";
import {
  apiKeyDisplayPrefix,
  formatUsd,
  generateApiKey,
  hashApiKey,
  type NanoUsd,
  newId,
  parseKeyEncryptionKeys,
  pricePerMillionToUsdPerToken,
  verifyReceipt,
} from "@junction/core";
import {
  appendLedgerEntry,
  createDb,
  createOrganization,
  type Db,
  rotateProviderCredentials,
  savePolicyVersion,
  saveProviderCredential,
  settledBalance,
} from "@junction/db";
import { creditsChanged, publishKeyRevoked } from "@junction/queue";
import { Redis } from "ioredis";
import { cliErrorMessage, parseUsdAmount, withNegativeNumbers } from "./cli-args.js";
import { loadReceiptSigner } from "./receipt-key.js";

/** The operator's CLI (`pnpm junction …`): what a self-hoster scripts against. */
const USAGE = `Usage: pnpm junction <command>

  org create <name> [--credit <usd>]          create an organization and its first API key (printed once)
  org list                                     organizations with their balances
  key create --org <id> [--name <n>] [--limit <usd>] [--reset never|daily|weekly|monthly]
  key list --org <id>                          an organization's keys: id, name, prefix, limit, status
  key revoke <keyId | key>                     revoke a key (by its id or the key itself) on every gateway within a second
  credit add --org <id> <usd> [--note <text>] [--idempotency-key <k>]
                                               add (or with a negative amount remove) credit as an admin adjustment
  models [--search <text>]                     the catalog: models, providers, prices per million tokens
  generation <id>                              a generation record with its attempts and cost
  policy set --org <id> --name <n> --rules '<json>' [--activate] [--key <keyId>]
                                               save policy rules as a new immutable version; attach to the org or a key
  byok add --org <id> --provider <id> --secret <provider key> [--name <label>]
                                               store an organization's own provider key (envelope-encrypted)
  byok rotate                                  re-wrap every BYOK data key under the current JUNCTION_KEKS key
  verify <file.json|gen_id> [--key <public key PEM file>]
                                               verify a receipt offline ({receipt, signature} JSON, or a generation)
  -h, --help                                   this text
`;

type Flags = {
  org?: string;
  name?: string;
  limit?: string;
  reset?: string;
  credit?: string;
  note?: string;
  search?: string;
  rules?: string;
  provider?: string;
  secret?: string;
  activate?: boolean;
  key?: string;
  "idempotency-key"?: string;
};

const RESETS = ["never", "daily", "weekly", "monthly"] as const;
type KeyOptions = { name: string; creditLimit: NanoUsd | null; limitReset: (typeof RESETS)[number] };

/** A key's options from the flags, checked before anything is written. */
function keyOptions(flags: Flags, defaultName: string): KeyOptions {
  const reset = flags.reset ?? "never";
  if (!(RESETS as readonly string[]).includes(reset))
    throw new Error(`--reset must be never, daily, weekly or monthly`);
  return {
    name: flags.name ?? defaultName,
    creditLimit: flags.limit === undefined ? null : parseUsdAmount(flags.limit, "--limit", "non-negative"),
    limitReset: reset as KeyOptions["limitReset"],
  };
}

/** The organization, or a one-line error naming the id (not the foreign-key violation a write would report). */
async function requireOrganization(db: Db, id: string): Promise<string> {
  const found = await db.organization.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw new Error(`no such organization: ${id}`);
  return found.id;
}

/** Creates a key and prints it (once) with its id, which `key revoke` and `key list` use. */
async function issueKey(db: Db, organizationId: string, options: KeyOptions): Promise<void> {
  const key = generateApiKey();
  const created = await db.apiKey.create({
    data: {
      id: newId("apiKey"),
      organizationId,
      keyHash: hashApiKey(key),
      displayPrefix: apiKeyDisplayPrefix(key),
      ...options,
    },
  });
  console.log(`key ${created.id} (${created.name})\nAPI key (shown once, store it now):\n\n  ${key}\n`);
}

async function addCredit(db: Db, organizationId: string, amount: NanoUsd, flags: Flags): Promise<void> {
  const inserted = await appendLedgerEntry(db, {
    organizationId,
    kind: "adjustment",
    amount,
    idempotencyKey: `admin:${flags["idempotency-key"] ?? randomUUID()}`,
    description: flags.note ?? "Admin adjustment (CLI)",
  });
  console.log(
    inserted
      ? `added ${formatUsd(amount)} to ${organizationId}`
      : "already applied (same idempotency key); nothing changed",
  );
  if (inserted) {
    // Gateways rebuild the organization's spendable amount from Postgres on its next request.
    const env = loadGatewayEnv();
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
    await creditsChanged(redis, env.JUNCTION_REDIS_PREFIX, organizationId);
    redis.disconnect();
  }
  console.log(`balance: ${formatUsd(await settledBalance(db, organizationId))}`);
}

async function run(db: Db, positionals: string[], flags: Flags): Promise<void> {
  const [command, sub, ...rest] = positionals;
  const orgFlag = async () => {
    if (!flags.org) throw new Error("--org <organization id> is required");
    return requireOrganization(db, flags.org);
  };
  switch (`${command} ${sub ?? ""}`.trim()) {
    case "org create": {
      const name = [sub === "create" ? rest.join(" ") : ""].join("").trim();
      if (!name) throw new Error("org create needs a name");
      // Everything is checked before the organization exists: a bad flag leaves nothing half made.
      const credit =
        flags.credit === undefined ? 0n : parseUsdAmount(flags.credit, "--credit", "non-negative");
      const options = keyOptions(flags, "Default key");
      const org = await createOrganization(db, { name });
      console.log(`organization ${org.id} (${org.name})`);
      if (credit > 0n) await addCredit(db, org.id, credit, flags);
      await issueKey(db, org.id, options);
      return;
    }
    case "org list": {
      const orgs = await db.organization.findMany({ orderBy: { createdAt: "asc" } });
      for (const org of orgs)
        console.log(`${org.id}  ${formatUsd(await settledBalance(db, org.id)).padStart(14)}  ${org.name}`);
      return;
    }
    case "key create": {
      const options = keyOptions(flags, "CLI key");
      await issueKey(db, await orgFlag(), options);
      return;
    }
    case "key list": {
      const keys = await db.apiKey.findMany({
        where: { organizationId: await orgFlag() },
        orderBy: { createdAt: "asc" },
      });
      for (const key of keys) {
        const limit =
          key.creditLimit === null ? "no limit" : `${formatUsd(key.creditLimit)} ${key.limitReset}`;
        const status = key.revokedAt ? "revoked" : "active";
        console.log(`${key.id}  ${key.displayPrefix}  ${status.padEnd(7)}  ${limit.padEnd(20)}  ${key.name}`);
      }
      return;
    }
    case "key revoke": {
      const given = rest[0];
      if (!given) throw new Error("key revoke needs a key id (key_…) or the key itself");
      const where = given.startsWith("key_") ? { id: given } : { keyHash: hashApiKey(given) };
      const found = await db.apiKey.findFirst({ where });
      if (!found)
        throw new Error(`no such key: ${given.startsWith("key_") ? given : apiKeyDisplayPrefix(given)}…`);
      const key = await db.apiKey.update({ where: { id: found.id }, data: { revokedAt: new Date() } });
      const env = loadGatewayEnv();
      const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
      await publishKeyRevoked(redis, env.JUNCTION_REDIS_PREFIX, key.keyHash);
      redis.disconnect();
      console.log(`revoked ${key.id} (${key.displayPrefix})`);
      return;
    }
    case "credit add": {
      const usd = rest[0];
      if (!usd) throw new Error("credit add needs an amount in USD");
      const amount = parseUsdAmount(usd, "the amount", "any");
      await addCredit(db, await orgFlag(), amount, flags);
      return;
    }
    default:
      break;
  }
  if (command === "models") {
    const endpoints = await db.endpoint.findMany({
      where: {
        status: "active",
        ...(flags.search && { modelId: { contains: flags.search, mode: "insensitive" } }),
      },
      orderBy: [{ modelId: "asc" }, { providerId: "asc" }],
    });
    const perMillion = (nano: bigint) => `$${(Number(pricePerMillionToUsdPerToken(nano)) * 1e6).toFixed(4)}`;
    for (const endpoint of endpoints) {
      console.log(
        `${endpoint.modelId.padEnd(48)} ${endpoint.providerId.padEnd(14)} in ${perMillion(endpoint.inputPrice).padStart(10)}  out ${perMillion(endpoint.outputPrice).padStart(10)}  /M tokens`,
      );
    }
    console.log(`${endpoints.length} endpoints`);
    return;
  }
  if (command === "policy" && sub === "set") {
    if (!flags.name || !flags.rules) throw new Error("policy set needs --name and --rules '<json>'");
    let rules: unknown;
    try {
      rules = JSON.parse(flags.rules);
    } catch (error) {
      throw new Error(`--rules is not valid JSON (${error instanceof Error ? error.message : "unreadable"})`);
    }
    const organizationId = await orgFlag();
    // Only a key of this organization: a policy must never reach another tenant's key.
    const key = flags.key
      ? await db.apiKey.findFirst({ where: { id: flags.key, organizationId }, select: { id: true } })
      : undefined;
    if (key === null) throw new Error(`no such key in ${organizationId}: ${flags.key}`);
    const saved = await savePolicyVersion(db, { organizationId, name: flags.name, rules });
    if (flags.activate)
      await db.organization.update({
        where: { id: organizationId },
        data: { activePolicyId: saved.policyId },
      });
    if (key) await db.apiKey.update({ where: { id: key.id }, data: { policyId: saved.policyId } });
    console.log(`policy ${saved.policyId} "${flags.name}" v${saved.version} (${saved.hash.slice(0, 16)}…)`);
    return;
  }
  if (command === "byok") {
    const keksText = loadGatewayEnv().JUNCTION_KEKS;
    if (!keksText) throw new Error("JUNCTION_KEKS is not set: BYOK needs a key-encryption key");
    const keks = parseKeyEncryptionKeys(keksText);
    if (sub === "add") {
      if (!flags.provider || !flags.secret) throw new Error("byok add needs --provider and --secret");
      const saved = await saveProviderCredential(db, keks, {
        organizationId: await orgFlag(),
        providerId: flags.provider,
        secret: flags.secret,
        ...(flags.name && { label: flags.name }),
      });
      console.log(
        `stored ${flags.provider} key …${saved.last4} as ${saved.id} (key version ${keks.current.version})`,
      );
      return;
    }
    if (sub === "rotate") {
      const result = await rotateProviderCredentials(db, keks);
      console.log(`re-wrapped ${result.rewrapped} data keys under key version ${result.current}`);
      for (const failure of result.failed)
        console.error(`  could not re-wrap ${failure.id}: ${failure.error}`);
      process.exitCode = result.failed.length ? 1 : 0;
      return;
    }
  }
  if (command === "verify" && sub) {
    const saved = sub.startsWith("gen_")
      ? await db.generation.findUnique({ where: { id: sub }, select: { receipt: true, signature: true } })
      : (JSON.parse(readFileSync(sub, "utf8")) as { receipt: unknown; signature: string });
    if (!saved) throw new Error(`generation ${sub} not found`);
    const { receipt, signature } = saved;
    const publicKey = flags.key
      ? readFileSync(flags.key, "utf8")
      : loadReceiptSigner(loadGatewayEnv().JUNCTION_RECEIPT_PRIVATE_KEY, () => undefined).publicKeyPem;
    const valid = typeof signature === "string" && verifyReceipt(receipt, signature, publicKey);
    console.log(
      valid ? "receipt valid: signature matches" : "receipt INVALID: it was altered or signed by another key",
    );
    process.exitCode = valid ? 0 : 1;
    return;
  }
  if (command === "generation" && sub) {
    const generation = await db.generation.findUnique({ where: { id: sub } });
    if (!generation) throw new Error(`generation ${sub} not found`);
    console.log(
      JSON.stringify(generation, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2),
    );
    return;
  }
  console.log(USAGE);
  process.exitCode = command ? 2 : 0;
}

const OPTIONS = {
  org: { type: "string" },
  name: { type: "string" },
  limit: { type: "string" },
  reset: { type: "string" },
  credit: { type: "string" },
  note: { type: "string" },
  search: { type: "string" },
  rules: { type: "string" },
  provider: { type: "string" },
  secret: { type: "string" },
  activate: { type: "boolean" },
  key: { type: "string" },
  "idempotency-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const STRING_OPTIONS = new Set(
  Object.entries(OPTIONS).flatMap(([name, option]) => (option.type === "string" ? [name] : [])),
);

/** The command line, or the usage and exit code 2 when it names an option the CLI does not have. */
function parseCommandLine() {
  try {
    return parseArgs({
      args: withNegativeNumbers(process.argv.slice(2), STRING_OPTIONS),
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
}

const { values, positionals } = parseCommandLine();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const db = createDb(loadGatewayEnv().DATABASE_URL, { max: 2 });
try {
  await run(db, positionals, values as Flags);
} catch (error) {
  console.error(`error: ${cliErrorMessage(error)}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
