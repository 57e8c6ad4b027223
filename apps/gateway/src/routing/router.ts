// The route planner lives in @junction/routing, so the dashboard's policy preview runs the very same code.
export * from "@junction/routing/router";
