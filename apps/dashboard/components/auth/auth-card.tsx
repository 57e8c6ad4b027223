import type { ReactNode } from "react";

export interface AuthCardProps {
  title: string;
  description: ReactNode;
  children: ReactNode;
  footer: ReactNode;
  aside?: ReactNode;
}

/** The frame of the sign-in and sign-up pages: a form card on the light surface, an optional pitch beside it. */
export function AuthCard({ title, description, children, footer, aside }: AuthCardProps) {
  return (
    <div className="flex flex-1 items-center justify-center bg-slate-50 dark:bg-slate-950 px-6 py-16">
      <div
        className={
          aside
            ? "grid w-full max-w-5xl grid-cols-1 items-center gap-12 lg:grid-cols-[minmax(0,1fr)_28rem]"
            : "w-full max-w-md"
        }
      >
        {aside ? <div className="hidden lg:block">{aside}</div> : null}
        <div className="w-full">
          <div className="rounded-2xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-8 shadow-sm shadow-slate-900/5">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">{title}</h1>
            <p className="mt-2 text-sm leading-6 text-slate-600 dark:text-slate-400">{description}</p>
            <div className="mt-8">{children}</div>
          </div>
          <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">{footer}</p>
        </div>
      </div>
    </div>
  );
}
