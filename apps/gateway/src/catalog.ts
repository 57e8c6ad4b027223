// The catalog snapshot lives in @junction/routing (shared with the dashboard's routing preview).
export * from "@junction/routing/catalog";
