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
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

const nextUlid = monotonicFactory();

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(now).toLowerCase()}`;
}

const ID_PATTERN = /^([a-z]{3})_([0-9a-hjkmnp-tv-z]{26})$/;

export function isId(kind: IdKind, value: string): boolean {
  const match = ID_PATTERN.exec(value);
  return match !== null && match[1] === ID_PREFIXES[kind];
}
