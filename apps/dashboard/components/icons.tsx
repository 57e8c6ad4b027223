import type { SVGProps } from "react";

function Icon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
      strokeLinecap="round"
      strokeLinejoin="round"
      className="size-5"
      aria-hidden="true"
      {...props}
    />
  );
}

export function RouteIcon() {
  return (
    <Icon>
      <path d="M3 5h3.5L11 12M3 19h3.5L11 12M3 12h17M16.5 8.5 20 12l-3.5 3.5" />
    </Icon>
  );
}

export function CoinsIcon() {
  return (
    <Icon>
      <ellipse cx="9" cy="7" rx="5" ry="2.5" />
      <path d="M4 7v5c0 1.4 2.2 2.5 5 2.5s5-1.1 5-2.5V7" />
      <path d="M10 17c.9 2 3.2 3 5 3 2.8 0 5-1.1 5-2.5v-5c0-1.4-2.2-2.5-5-2.5" />
    </Icon>
  );
}

export function ShieldCheckIcon() {
  return (
    <Icon>
      <path d="M12 3 5 6v5c0 4.5 3 8.3 7 10 4-1.7 7-5.5 7-10V6l-7-3Z" />
      <path d="m9 12 2 2 4-4" />
    </Icon>
  );
}

export function CheckIcon() {
  return (
    <Icon className="mt-0.5 size-4 shrink-0 text-indigo-600" strokeWidth="2.25">
      <path d="m5 12 5 5L20 7" />
    </Icon>
  );
}
