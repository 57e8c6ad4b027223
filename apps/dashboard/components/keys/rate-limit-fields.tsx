"use client";

import { Field, Input } from "@junction/ui";

export type RateLimitValues = { rateLimitRpm: string; rateLimitTpm: string; rateLimitConcurrency: string };
export const RATE_LIMIT_FIELDS = [
  { name: "rateLimitRpm", label: "Requests / minute", id: "key-rpm" },
  { name: "rateLimitTpm", label: "Tokens / minute", id: "key-tpm" },
  { name: "rateLimitConcurrency", label: "Concurrent requests", id: "key-concurrency" },
] as const;

/** "" → null (no per-key limit); otherwise the number the server's schema checks (whole, above 0). */
export function parseRateLimits(values: RateLimitValues): Record<keyof RateLimitValues, number | null> {
  const read = (text: string) => (text.trim() === "" ? null : Number(text.trim()));
  return {
    rateLimitRpm: read(values.rateLimitRpm),
    rateLimitTpm: read(values.rateLimitTpm),
    rateLimitConcurrency: read(values.rateLimitConcurrency),
  };
}

/** The per-key rate limits (empty = only the organization's limits apply); the gateway answers 429 above them. */
export function RateLimitFields({
  values,
  onChange,
  errors,
}: {
  values: RateLimitValues;
  onChange: (values: RateLimitValues) => void;
  errors: Record<string, string>;
}) {
  return (
    <fieldset className="grid grid-cols-1 gap-4 sm:grid-cols-3">
      <legend className="mb-2 text-sm font-medium text-slate-900 dark:text-slate-100">
        Rate limits{" "}
        <span className="font-normal text-slate-500">(optional; empty = organization limits only)</span>
      </legend>
      {RATE_LIMIT_FIELDS.map((field) => (
        <Field key={field.name} id={field.id} label={field.label} error={errors[field.name]}>
          <Input
            id={field.id}
            name={field.name}
            inputMode="numeric"
            placeholder="No limit"
            value={values[field.name]}
            onChange={(event) => onChange({ ...values, [field.name]: event.target.value })}
            invalid={Boolean(errors[field.name])}
          />
        </Field>
      ))}
    </fieldset>
  );
}
