export * from "./catalog.js";
export * from "./preferences.js";
export * from "./router.js";
