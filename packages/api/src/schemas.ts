import { z } from "zod";

/**
 * Input schemas shared by the procedures and the dashboard's forms (imported client-side through
 * "@junction/api/schemas", which pulls in zod only), so a form shows the same messages the server would.
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long")
  .pipe(z.email("Enter a valid email address"));

export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(200, "Use at most 200 characters")
  .refine((value) => value.trim().length > 0, "The password cannot be blank");

export const personNameSchema = z
  .string()
  .trim()
  .min(1, "Enter your name")
  .max(100, "Use at most 100 characters");

export const organizationNameSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters")
  .max(80, "Use at most 80 characters");

export const signUpInput = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
  organizationName: organizationNameSchema.optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200),
});

/** A USD amount typed by a person: "5", "12.50"; at most 9 decimals (whole nano-USD), more than zero. */
export const usdAmountSchema = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,9})?$/, "Enter an amount in USD, like 10 or 12.50")
  .refine((value) => /[1-9]/.test(value), "The amount must be more than $0");

export const LIMIT_RESETS = ["never", "daily", "weekly", "monthly"] as const;
export type LimitResetOption = (typeof LIMIT_RESETS)[number];

/** A per-minute or concurrency limit; null = unlimited. */
const rateLimitSchema = z
  .number()
  .int("Use a whole number")
  .positive("Use a number above 0, or leave it empty for unlimited")
  .max(100_000_000, "That limit is too large")
  .nullable();

const apiKeyNameSchema = z.string().trim().min(1, "Give the key a name").max(80, "Use at most 80 characters");

/**
 * A new key. Strict: the organization, creator, role and credit balance come from the session, never from input,
 * and unknown fields are refused (no mass assignment). Rate limits: null or absent = only the organization's apply.
 */
export const createApiKeyInput = z.strictObject({
  name: apiKeyNameSchema,
  creditLimitUsd: usdAmountSchema.optional(),
  limitReset: z.enum(LIMIT_RESETS).default("never"),
  expiresAt: z.date().optional(),
  rateLimitRpm: rateLimitSchema.optional(),
  rateLimitTpm: rateLimitSchema.optional(),
  rateLimitConcurrency: rateLimitSchema.optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

/** Changes to a key: only the fields given change; null clears a limit or the expiry. Strict, like create. */
export const updateApiKeyInput = z.strictObject({
  id: z.string().min(1).max(64),
  name: apiKeyNameSchema.optional(),
  creditLimitUsd: usdAmountSchema.nullable().optional(),
  limitReset: z.enum(LIMIT_RESETS).optional(),
  expiresAt: z.date().nullable().optional(),
  rateLimitRpm: rateLimitSchema.optional(),
  rateLimitTpm: rateLimitSchema.optional(),
  rateLimitConcurrency: rateLimitSchema.optional(),
});
export type UpdateApiKeyInput = z.input<typeof updateApiKeyInput>;

export const GENERATION_STATUSES = ["success", "error", "aborted", "pending"] as const;

export const activityFilterInput = z.object({
  apiKeyId: z.string().max(64).optional(),
  model: z.string().max(200).optional(),
  status: z.enum(GENERATION_STATUSES).optional(),
});
export type ActivityFilter = z.infer<typeof activityFilterInput>;

export const SPEND_RANGES = ["24h", "7d", "30d", "custom"] as const;
export type SpendRange = (typeof SPEND_RANGES)[number];
export const SPEND_GROUPS = ["model", "key", "provider"] as const;
export type SpendGroupOption = (typeof SPEND_GROUPS)[number];
/** The longest custom range, in days. */
export const MAX_CUSTOM_DAYS = 366;

const utcDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-25");

/** The overview chart: a preset range or custom UTC days (both inclusive), grouped by model, key or provider. */
export const spendChartInput = z.object({
  range: z.enum(SPEND_RANGES).default("30d"),
  from: utcDay.optional(),
  to: utcDay.optional(),
  groupBy: z.enum(SPEND_GROUPS).default("model"),
});
export type SpendChartInput = z.input<typeof spendChartInput>;

export const RETENTION_DAYS = { min: 1, max: 365 } as const;

/**
 * The organization settings an admin may change. Strict: ids, owners, roles, credit and billing fields are not
 * part of it, and unknown keys are refused (no mass assignment).
 */
export const organizationSettingsInput = z.strictObject({
  name: organizationNameSchema.optional(),
  promptLogging: z.boolean().optional(),
  retentionDays: z
    .number()
    .int("Use a whole number of days")
    .min(RETENTION_DAYS.min, `Keep logs for at least ${RETENTION_DAYS.min} day`)
    .max(RETENTION_DAYS.max, `Keep logs for at most ${RETENTION_DAYS.max} days`)
    .optional(),
  byokOnly: z.boolean().optional(),
  rateLimitRpm: rateLimitSchema.optional(),
  rateLimitTpm: rateLimitSchema.optional(),
  rateLimitConcurrency: rateLimitSchema.optional(),
});
export type OrganizationSettingsInput = z.infer<typeof organizationSettingsInput>;

export const policyNameSchema = z
  .string()
  .trim()
  .min(1, "Give the policy a name")
  .max(80, "Use at most 80 characters")
  .regex(/^[\w .:-]+$/, "Use letters, digits, spaces and . _ : -");

/** A token from an emailed link (base64url, 43 characters for 32 random bytes). */
export const linkTokenSchema = z
  .string()
  .trim()
  .min(20, "This link is incomplete")
  .max(200, "This link is not valid");

export const forgotPasswordInput = z.object({ email: emailSchema });

export const resetPasswordInput = z.object({ token: linkTokenSchema, password: passwordSchema });

export const INVITABLE_ROLES = ["viewer", "member", "admin", "owner"] as const;

export const createInvitationInput = z.strictObject({
  email: emailSchema,
  role: z.enum(INVITABLE_ROLES).default("member"),
});

export const customEndpointNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    "Use 1–40 lowercase letters, digits and dashes (it becomes custom/<name>/…)",
  );

/** What an admin sends to add a custom endpoint. Strict: the organization comes from the session. */
export const createCustomEndpointInput = z.strictObject({
  name: customEndpointNameSchema,
  baseUrl: z.string().trim().min(1, "Enter the endpoint's base URL").max(500, "That URL is too long"),
  models: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(200, "Use at most 200 characters per model name")
        .regex(/^[\w.:/@+-]+$/, "Model names use letters, digits and . _ : / @ + -"),
    )
    .min(1, "List at least one model")
    .max(100, "At most 100 models"),
  credentialId: z.string().min(1).max(64).nullable(),
});
export type CreateCustomEndpointInput = z.infer<typeof createCustomEndpointInput>;

/** A BYOK provider key: the secret is write-only (stored encrypted, shown again only as its last 4 characters). */
export const addProviderKeyInput = z.strictObject({
  providerId: z.string().trim().min(1, "Choose a provider").max(64),
  label: z.string().trim().max(80, "Use at most 80 characters").optional(),
  secret: z
    .string()
    .trim()
    .min(8, "That key looks too short")
    .max(1000, "That key is too long")
    .refine((value) => !/\s/.test(value), "A key has no spaces"),
});
