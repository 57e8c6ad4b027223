import type { InputHTMLAttributes, LabelHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

const control =
  "block rounded-lg border bg-white dark:bg-slate-900 px-3 text-sm text-slate-900 dark:text-white shadow-sm transition-colors " +
  "placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-500 " +
  "disabled:cursor-not-allowed disabled:bg-slate-50 dark:disabled:bg-slate-800 disabled:text-slate-500";

function border(invalid: boolean | undefined): string {
  return invalid ? "border-rose-400 focus:outline-rose-500" : "border-slate-300 dark:border-slate-700";
}

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  invalid?: boolean;
  /** `full` (default) fills the container; `auto` lets `className` set the width. */
  width?: "full" | "auto";
}

export function Input({ invalid, width = "full", className, ...props }: InputProps) {
  return (
    <input
      aria-invalid={invalid || undefined}
      className={cn(control, "h-10", width === "full" && "w-full", border(invalid), className)}
      {...props}
    />
  );
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  invalid?: boolean;
  width?: "full" | "auto";
}

export function Select({ invalid, width = "full", className, ...props }: SelectProps) {
  return (
    <select
      aria-invalid={invalid || undefined}
      className={cn(control, "h-10 pr-8", width === "full" && "w-full", border(invalid), className)}
      {...props}
    />
  );
}

export function Label({ className, ...props }: LabelHTMLAttributes<HTMLLabelElement>) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: callers pass htmlFor
    <label
      className={cn("block text-sm font-medium text-slate-800 dark:text-slate-200", className)}
      {...props}
    />
  );
}

export interface FieldProps {
  id: string;
  label: ReactNode;
  /** Shown under the control when there is no error. */
  hint?: ReactNode;
  /** Validation message; also exposed to assistive tech through aria-describedby on the control. */
  error?: string | undefined;
  /** Right side of the label row, e.g. "Optional" or a link. */
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** Label + control + hint/error, with ids wired for screen readers (`${id}-error`, `${id}-hint`). */
export function Field({ id, label, hint, error, aside, children, className }: FieldProps) {
  return (
    <div className={className}>
      <div className="flex items-baseline justify-between gap-3">
        <Label htmlFor={id}>{label}</Label>
        {aside ? <span className="text-xs text-slate-500 dark:text-slate-400">{aside}</span> : null}
      </div>
      <div className="mt-1.5">{children}</div>
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-rose-600 dark:text-rose-400">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-xs leading-5 text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface TextFieldProps extends Omit<InputProps, "id" | "value" | "onChange" | "invalid"> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  aside?: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  fieldClassName?: string;
}

/** A labelled text input in a Field: error/hint wired to aria-describedby, the invalid state from `error`. */
export function TextField({
  id,
  label,
  hint,
  error,
  aside,
  value,
  onValueChange,
  fieldClassName,
  ...input
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} aside={aside} className={fieldClassName}>
      <Input
        id={id}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        {...input}
      />
    </Field>
  );
}
