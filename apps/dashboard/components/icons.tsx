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
    <Icon className="mt-0.5 size-4 shrink-0 text-indigo-600 dark:text-indigo-400" strokeWidth="2.25">
      <path d="m5 12 5 5L20 7" />
    </Icon>
  );
}

export function OverviewIcon() {
  return (
    <Icon>
      <path d="M4 13h6V4H4v9ZM14 20h6v-9h-6v9ZM14 4v4h6V4h-6ZM4 20h6v-4H4v4Z" />
    </Icon>
  );
}

export function KeyIcon({ className }: { className?: string }) {
  return (
    <Icon className={className ?? "size-5"}>
      <circle cx="8" cy="15" r="4" />
      <path d="m10.8 12.2 8.7-8.7M17 6l2.5 2.5M14.5 8.5 17 11" />
    </Icon>
  );
}

export function ActivityIcon({ className }: { className?: string }) {
  return (
    <Icon className={className ?? "size-5"}>
      <path d="M3 12h4l3-8 4 16 3-8h4" />
    </Icon>
  );
}

export function WalletIcon({ className }: { className?: string }) {
  return (
    <Icon className={className ?? "size-5"}>
      <path d="M19 7V5a1 1 0 0 0-1-1H5a2 2 0 0 0 0 4h15a1 1 0 0 1 1 1v4M21 13v5a1 1 0 0 1-1 1H5a2 2 0 0 1-2-2V6" />
      <path d="M21 13h-4a2 2 0 0 0 0 4h4v-4Z" />
    </Icon>
  );
}

export function CubeIcon({ className }: { className?: string }) {
  return (
    <Icon className={className ?? "size-5"}>
      <path d="m12 3 8 4.5v9L12 21l-8-4.5v-9L12 3Z" />
      <path d="m4 7.5 8 4.5 8-4.5M12 12v9" />
    </Icon>
  );
}

export function UsersIcon() {
  return (
    <Icon>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18.5 20a6.5 6.5 0 0 0-2.5-5.1" />
    </Icon>
  );
}

export function CogIcon() {
  return (
    <Icon>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1" />
    </Icon>
  );
}

export function ChevronUpDownIcon() {
  return (
    <Icon className="size-4 shrink-0" strokeWidth="2">
      <path d="m8 9 4-4 4 4M8 15l4 4 4-4" />
    </Icon>
  );
}

export function PlusIcon({ className }: { className?: string }) {
  return (
    <Icon className={className ?? "size-4"} strokeWidth="2">
      <path d="M12 5v14M5 12h14" />
    </Icon>
  );
}

export function SignOutIcon() {
  return (
    <Icon className="size-4">
      <path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l5-5-5-5M15 12H3" />
    </Icon>
  );
}

export function BookIcon() {
  return (
    <Icon>
      <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5v-15Z" />
      <path d="M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5" />
    </Icon>
  );
}

export function ArrowLeftIcon() {
  return (
    <Icon className="size-4" strokeWidth="2">
      <path d="M19 12H5M11 18l-6-6 6-6" />
    </Icon>
  );
}

export function RefreshIcon() {
  return (
    <Icon className="size-4" strokeWidth="2">
      <path d="M20 11a8 8 0 0 0-14.9-3M4 4v4h4M4 13a8 8 0 0 0 14.9 3M20 20v-4h-4" />
    </Icon>
  );
}

export function ReceiptIcon({ className }: { className?: string }) {
  return (
    <Icon className={className ?? "size-5"}>
      <path d="M6 3h12v18l-3-2-3 2-3-2-3 2V3Z" />
      <path d="M9 8h6M9 12h6M9 16h3" />
    </Icon>
  );
}
