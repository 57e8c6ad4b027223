"use client";

import { cn } from "@junction/ui";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";
import {
  ActivityIcon,
  CogIcon,
  CubeIcon,
  KeyIcon,
  OverviewIcon,
  ShieldCheckIcon,
  UsersIcon,
  WalletIcon,
} from "@/components/icons";

const items: { href: string; label: string; icon: ReactNode }[] = [
  { href: "/overview", label: "Overview", icon: <OverviewIcon /> },
  { href: "/keys", label: "API keys", icon: <KeyIcon /> },
  { href: "/activity", label: "Activity", icon: <ActivityIcon /> },
  { href: "/credits", label: "Credits", icon: <WalletIcon /> },
  { href: "/models", label: "Models", icon: <CubeIcon /> },
  { href: "/members", label: "Members", icon: <UsersIcon /> },
  { href: "/settings", label: "Settings", icon: <CogIcon /> },
  { href: "/audit", label: "Audit log", icon: <ShieldCheckIcon /> },
];

/** The sidebar's sections; the current one is highlighted (and announced with aria-current). */
export function NavLinks() {
  const pathname = usePathname();
  const nav = useRef<HTMLElement>(null);
  // On phones the sections scroll sideways: keep the current one in view (no effect on the stacked sidebar).
  useEffect(() => {
    const list = nav.current;
    const current = list?.querySelector<HTMLElement>('[aria-current="page"]');
    if (list && current && list.scrollWidth > list.clientWidth && pathname) {
      list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
    }
  }, [pathname]);
  return (
    <nav
      ref={nav}
      aria-label="Dashboard"
      className="relative -mx-1 flex gap-1 overflow-x-auto px-1 lg:mx-0 lg:flex-col lg:gap-0.5 lg:px-0"
    >
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex shrink-0 items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors lg:gap-3",
              "focus-visible:outline-2 focus-visible:outline-indigo-400",
              active ? "bg-white/10 text-white" : "text-slate-400 hover:bg-white/5 hover:text-white",
            )}
          >
            <span className={active ? "text-indigo-300" : "text-slate-500 dark:text-slate-400"}>
              {item.icon}
            </span>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
