// Provider preferences live in @junction/routing with the route planner.
export * from "@junction/routing/preferences";
