import { z } from "zod";

/**
 * The validated environment. Nothing else reads process.env: each app asks for the slice it needs, and a wrong
 * value fails at start with a message naming the variable.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const url = (fallback: string) => z.url().default(fallback);
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", ""])
    .default(fallback ? "true" : "false")
    .transform((value) => value === "true" || value === "1");

export const coreSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .default("postgresql://postgres@127.0.0.1:5432/junction"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .default("redis://127.0.0.1:6379"),
  // Prefix for every Redis key and queue of this deployment (tests give each file its own).
  JUNCTION_REDIS_PREFIX: z.string().default("junction"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // Tests and local development only: lets organizations' custom endpoints use plain http and loopback addresses
  // (still never private, link-local or other internal ranges). Refused when NODE_ENV=production.
  JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS: bool(false),
});

/** Upstream providers use the variable names their own SDKs use, so any of them can point at a local server. */
export const PROVIDER_ENV = {
  openai: { key: "OPENAI_API_KEY", baseUrl: "OPENAI_BASE_URL", default: "https://api.openai.com/v1" },
  anthropic: {
    key: "ANTHROPIC_API_KEY",
    baseUrl: "ANTHROPIC_BASE_URL",
    default: "https://api.anthropic.com",
  },
  gemini: {
    key: "GEMINI_API_KEY",
    baseUrl: "GEMINI_BASE_URL",
    default: "https://generativelanguage.googleapis.com",
  },
  groq: { key: "GROQ_API_KEY", baseUrl: "GROQ_BASE_URL", default: "https://api.groq.com/openai/v1" },
  together_ai: {
    key: "TOGETHER_API_KEY",
    baseUrl: "TOGETHER_BASE_URL",
    default: "https://api.together.xyz/v1",
  },
  fireworks_ai: {
    key: "FIREWORKS_API_KEY",
    baseUrl: "FIREWORKS_BASE_URL",
    default: "https://api.fireworks.ai/inference/v1",
  },
  deepinfra: {
    key: "DEEPINFRA_API_KEY",
    baseUrl: "DEEPINFRA_BASE_URL",
    default: "https://api.deepinfra.com/v1/openai",
  },
  mistral: { key: "MISTRAL_API_KEY", baseUrl: "MISTRAL_BASE_URL", default: "https://api.mistral.ai/v1" },
  deepseek: { key: "DEEPSEEK_API_KEY", baseUrl: "DEEPSEEK_BASE_URL", default: "https://api.deepseek.com/v1" },
  xai: { key: "XAI_API_KEY", baseUrl: "XAI_BASE_URL", default: "https://api.x.ai/v1" },
  openrouter: {
    key: "OPENROUTER_API_KEY",
    baseUrl: "OPENROUTER_BASE_URL",
    default: "https://openrouter.ai/api/v1",
  },
  perplexity: {
    key: "PERPLEXITY_API_KEY",
    baseUrl: "PERPLEXITY_BASE_URL",
    default: "https://api.perplexity.ai",
  },
  cerebras: { key: "CEREBRAS_API_KEY", baseUrl: "CEREBRAS_BASE_URL", default: "https://api.cerebras.ai/v1" },
  ollama: { key: "OLLAMA_API_KEY", baseUrl: "OLLAMA_BASE_URL", default: "http://127.0.0.1:11434/v1" },
} as const;

export type ProviderEnvName = keyof typeof PROVIDER_ENV;

export const gatewaySchema = coreSchema.extend({
  GATEWAY_HOST: z.string().default("0.0.0.0"),
  GATEWAY_PORT: port(4000),
  // Where clients reach the gateway (shown in docs and the OpenAPI spec); defaults to localhost:GATEWAY_PORT.
  GATEWAY_PUBLIC_URL: z.url().optional(),
  GATEWAY_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  UPSTREAM_CONNECT_TIMEOUT_MS: ms(10_000),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: ms(60_000),
  UPSTREAM_IDLE_TIMEOUT_MS: ms(60_000),
  UPSTREAM_TOTAL_TIMEOUT_MS: ms(600_000),
  // Base64 PKCS#8 DER Ed25519 private key for receipts; generated and kept in .junction/ when unset.
  JUNCTION_RECEIPT_PRIVATE_KEY: z.string().optional(),
  // Local OpenAI-compatible server (Ollama, vLLM, LM Studio) at OLLAMA_BASE_URL: its model names, comma-separated,
  // served as `local/<name>` at price 0 (an operator's explicit price, not a missing one).
  LOCAL_MODELS: z.string().default(""),
  // BYOK: key-encryption keys "<version>:<base64 32 bytes>,…" (first = current; older ones only to decrypt and
  // rotate). Without it, organizations cannot add their own provider keys.
  JUNCTION_KEKS: z.string().optional(),
  // Fee on BYOK requests, in basis points of what the request would have cost on platform keys (500 = 5%).
  BYOK_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(500),
  // Circuit breaker per endpoint, shared by all instances: opens after N consecutive failures for the cool-down.
  GATEWAY_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  GATEWAY_BREAKER_COOLDOWN_MS: ms(30_000),
  SANDBOX_TOKENS_PER_SECOND: z.coerce.number().positive().default(200),
  GATEWAY_PROCESSING_COMMENT_MS: ms(1_000),
});

export const workerSchema = coreSchema.extend({
  WORKER_HEALTH_PORT: port(4100),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(8),
  // Usage jobs in flight per worker process; they are batched into multi-generation statements, so many is cheap.
  WORKER_USAGE_CONCURRENCY: z.coerce.number().int().positive().default(256),
  INVOICE_GRACE_HOURS: z.coerce.number().int().min(0).default(72),
  // The reingest sweep: how often it runs, and how old an un-ingested generation must be before it takes it.
  WORKER_REINGEST_EVERY_MS: ms(60_000),
  WORKER_REINGEST_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
  // Auto top-up charges saved cards off-session; without a key the job does nothing.
  STRIPE_SECRET_KEY: z.string().optional(),
  // A local Stripe fake (tests, benchmarks): "http://127.0.0.1:12111". Unset = api.stripe.com.
  STRIPE_API_BASE: z.url().optional(),
});

export const dashboardSchema = coreSchema.extend({
  GATEWAY_URL: url("http://localhost:4000"),
  NEXTAUTH_URL: url("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(16).default("junction-development-secret-change-me"),
  STARTER_CREDIT_USD: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .default("1"),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.url().optional(),
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  // Account emails over SMTP (smtp:// or smtps:// with credentials); unset = the development mailbox below.
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default("Junction <no-reply@localhost>"),
  // The development mailbox: account emails (verification, password reset, invitations) are appended here.
  JUNCTION_MAILBOX: z.string().default(".junction/mailbox.log"),
  // BYOK key-encryption keys (the gateway's JUNCTION_KEKS), so Settings can store provider keys encrypted.
  JUNCTION_KEKS: z.string().optional(),
  ENABLE_TEST_HELPERS: bool(false),
});

export type CoreEnv = z.infer<typeof coreSchema>;
export type GatewayEnv = z.infer<typeof gatewaySchema>;
export type WorkerEnv = z.infer<typeof workerSchema>;
export type DashboardEnv = z.infer<typeof dashboardSchema>;

type Source = Record<string, string | undefined>;

export function parseEnv<S extends z.ZodType>(schema: S, source: Source = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) {
    const data = result.data as { NODE_ENV?: string; JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS?: boolean };
    if (data.NODE_ENV === "production" && data.JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS) {
      throw new ConfigError(
        "Invalid environment:\n  JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS: not allowed when NODE_ENV=production (it opens custom endpoints to loopback addresses)",
      );
    }
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const value = source[name];
    // Never echo secrets back; show only whether a value was set.
    const shown =
      value === undefined ? "unset" : /SECRET|KEY|PASSWORD|TOKEN/.test(name) ? "set" : `"${value}"`;
    return `  ${name} (${shown}): ${issue.message}`;
  });
  throw new ConfigError(`Invalid environment:\n${problems.join("\n")}`);
}

export const loadCoreEnv = (source?: Source): CoreEnv => parseEnv(coreSchema, source);
export function loadGatewayEnv(source?: Source): GatewayEnv & { GATEWAY_PUBLIC_URL: string } {
  const env = parseEnv(gatewaySchema, source);
  return { ...env, GATEWAY_PUBLIC_URL: env.GATEWAY_PUBLIC_URL ?? `http://localhost:${env.GATEWAY_PORT}` };
}
export const loadWorkerEnv = (source?: Source): WorkerEnv => parseEnv(workerSchema, source);
export const loadDashboardEnv = (source?: Source): DashboardEnv => parseEnv(dashboardSchema, source);

/** An upstream's key and base URL, read by the names its SDK uses. */
export function providerEnv(
  name: ProviderEnvName,
  source: Source = process.env,
): { apiKey: string | undefined; baseUrl: string } {
  const spec = PROVIDER_ENV[name];
  return {
    apiKey: source[spec.key] || undefined,
    baseUrl: (source[spec.baseUrl] || spec.default).replace(/\/$/, ""),
  };
}
