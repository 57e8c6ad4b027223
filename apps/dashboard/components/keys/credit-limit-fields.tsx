"use client";

import { LIMIT_RESETS, type LimitResetOption } from "@junction/api/schemas";
import { Field, Input, Select } from "@junction/ui";

const RESET_LABELS: Record<LimitResetOption, string> = {
  never: "Never (a lifetime cap)",
  daily: "Daily (00:00 UTC)",
  weekly: "Weekly (Mondays, UTC)",
  monthly: "Monthly (1st, UTC)",
};

/** A key's credit limit in USD (empty: none) and when it resets; for creating a key and editing one. */
export function CreditLimitFields({
  idPrefix,
  limit,
  onLimit,
  reset,
  onReset,
  errors,
}: {
  idPrefix: string;
  limit: string;
  onLimit: (value: string) => void;
  reset: LimitResetOption;
  onReset: (value: LimitResetOption) => void;
  errors: Record<string, string>;
}) {
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <Field
        id={`${idPrefix}-limit`}
        label="Credit limit"
        aside="Optional"
        hint="Each request first holds its worst case (prompt + max_tokens at the model's prices) and returns what it did not use; one that would go over gets 402."
        error={errors.creditLimitUsd}
      >
        <div className="relative">
          <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500 dark:text-slate-400">
            $
          </span>
          <Input
            id={`${idPrefix}-limit`}
            name="creditLimitUsd"
            inputMode="decimal"
            placeholder="No limit"
            value={limit}
            onChange={(event) => onLimit(event.target.value)}
            className="pl-7"
            invalid={Boolean(errors.creditLimitUsd)}
          />
        </div>
      </Field>
      <Field id={`${idPrefix}-reset`} label="Limit resets" error={errors.limitReset}>
        <Select
          id={`${idPrefix}-reset`}
          name="limitReset"
          value={reset}
          onChange={(event) => onReset(event.target.value as LimitResetOption)}
          disabled={!limit.trim()}
        >
          {LIMIT_RESETS.map((option) => (
            <option key={option} value={option}>
              {RESET_LABELS[option]}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}
