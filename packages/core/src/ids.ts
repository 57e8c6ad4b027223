import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";

/** Prefixed, time-sortable ids: `gen_01J…`. The body is a monotonic ULID (sortable within a millisecond too). */
export const ID_PREFIXES = {
  organization: "org",
  user: "usr",
  apiKey: "key",
  generation: "gen",
  invoice: "inv",
  invoiceLine: "inl",
  ledgerEntry: "led",
  checkpoint: "chk",
  membership: "mem",
  invitation: "ivt",
  policy: "pol",
  policyVersion: "pov",
  priceTable: "ptv",
  rollup: "rol",
  report: "rpt",
  credential: "crd",
  customEndpoint: "cep",
  audit: "aud",
  account: "acc",
  session: "ses",
  creditBlock: "blk",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

// ulid's default source asks the OS for one random byte per character; one 4 KiB refill serves ~250 ids.
// A byte / 256 picks each of the 32 base32 characters with equal probability (256 is a multiple of 32).
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;
function pooledRandom(): number {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  return (randomPool[randomOffset++] as number) / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(now).toLowerCase()}`;
}

const ID_PATTERN = /^([a-z]{3})_([0-9a-hjkmnp-tv-z]{26})$/;

export function isId(kind: IdKind, value: string): boolean {
  const match = ID_PATTERN.exec(value);
  return match !== null && match[1] === ID_PREFIXES[kind];
}
