/** Where the chosen theme is kept in the browser: "light" or "dark"; absent = follow the system. */
export const THEME_STORAGE_KEY = "junction-theme";

/**
 * Runs in <head> before the first paint, so a dark page never flashes white: applies the stored choice, else the
 * system preference, and follows the system while no choice is stored.
 */
export const THEME_SCRIPT = `(function(){try{var k=${JSON.stringify(THEME_STORAGE_KEY)},m=matchMedia("(prefers-color-scheme: dark)");function a(){var t=localStorage.getItem(k),d=t==="dark"||(t!=="light"&&m.matches),e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light"}a();m.addEventListener("change",a);window.addEventListener("storage",function(v){if(v.key===k)a()})}catch(e){}})();`;
