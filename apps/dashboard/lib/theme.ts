/** Where the chosen theme is kept in the browser: "light" or "dark"; absent = follow the system. */
export const THEME_STORAGE_KEY = "junction-theme";

/**
 * Applies the stored choice, else the system preference, to <html>. Self-contained (no outer names), because
 * THEME_SCRIPT embeds its source; the theme toggle calls it directly.
 */
export function applyTheme(storageKey: string): void {
  const stored = localStorage.getItem(storageKey);
  const dark =
    stored === "dark" || (stored !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

/**
 * Runs in <head> before the first paint, so a dark page never flashes white: applies the theme, then follows the
 * system while no choice is stored, and choices made in other tabs.
 */
export const THEME_SCRIPT = `(function(){try{var k=${JSON.stringify(THEME_STORAGE_KEY)},a=${applyTheme.toString()};function r(){a(k)}r();matchMedia("(prefers-color-scheme: dark)").addEventListener("change",r);window.addEventListener("storage",function(v){if(v.key===k)r()})}catch(e){}})();`;
