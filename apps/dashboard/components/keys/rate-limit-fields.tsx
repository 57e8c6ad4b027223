"use client";

import { Field, Input } from "@junction/ui";
import type { ReactNode } from "react";

type RateLimitName = "rateLimitRpm" | "rateLimitTpm" | "rateLimitConcurrency";
/** What the person typed in each field ("" = no limit). */
export type RateLimitValues = Record<RateLimitName, string>;

const FIELDS = [
  { name: "rateLimitRpm", label: "Requests / minute", suffix: "rpm" },
  { name: "rateLimitTpm", label: "Tokens / minute", suffix: "tpm" },
  { name: "rateLimitConcurrency", label: "Concurrent requests", suffix: "concurrency" },
] as const;

/** The fields' starting text for stored limits (null = no limit = empty); no argument: all empty. */
export function rateLimitValues(limits?: Record<RateLimitName, number | null>): RateLimitValues {
  const text = (value: number | null | undefined) => (value == null ? "" : String(value));
  return {
    rateLimitRpm: text(limits?.rateLimitRpm),
    rateLimitTpm: text(limits?.rateLimitTpm),
    rateLimitConcurrency: text(limits?.rateLimitConcurrency),
  };
}

/** "" → null (no limit); otherwise the number the server's schema checks (whole, above 0). */
export function parseRateLimits(values: RateLimitValues): Record<RateLimitName, number | null> {
  const read = (text: string) => (text.trim() === "" ? null : Number(text.trim()));
  return {
    rateLimitRpm: read(values.rateLimitRpm),
    rateLimitTpm: read(values.rateLimitTpm),
    rateLimitConcurrency: read(values.rateLimitConcurrency),
  };
}

/**
 * Requests / minute, tokens / minute and concurrent requests, for a key or the whole organization; the gateway
 * answers 429 above them. `idPrefix` keeps the ids unique ("key" → "key-rpm").
 */
export function RateLimitFields({
  idPrefix,
  legend,
  hint,
  values,
  onChange,
  errors,
}: {
  idPrefix: string;
  legend: ReactNode;
  hint: ReactNode;
  values: RateLimitValues;
  onChange: (values: RateLimitValues) => void;
  errors: Record<string, string>;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">{legend}</legend>
      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p>
      <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
        {FIELDS.map((field) => {
          const id = `${idPrefix}-${field.suffix}`;
          return (
            <Field key={field.name} id={id} label={field.label} error={errors[field.name]}>
              <Input
                id={id}
                name={field.name}
                inputMode="numeric"
                placeholder="No limit"
                value={values[field.name]}
                onChange={(event) => onChange({ ...values, [field.name]: event.target.value })}
                invalid={Boolean(errors[field.name])}
              />
            </Field>
          );
        })}
      </div>
    </fieldset>
  );
}
