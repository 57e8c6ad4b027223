import type { EndpointPrices } from "@junction/core";
import type { CatalogEndpoint } from "./types.js";

/** The price columns of an endpoint (a catalog record or an Endpoint row). */
export type EndpointPriceColumns = Pick<
  CatalogEndpoint,
  | "inputPrice"
  | "outputPrice"
  | "cachedInputPrice"
  | "cacheWritePrice"
  | "cacheWrite1hPrice"
  | "requestPrice"
  | "longContextAbove"
  | "longInputPrice"
  | "longOutputPrice"
  | "longCachedInputPrice"
  | "longCacheWritePrice"
  | "longCacheWrite1hPrice"
>;

/** An endpoint's columns as the prices `computeCost` takes (a long-context tier only when it has both main prices). */
export function endpointPrices(endpoint: EndpointPriceColumns): EndpointPrices {
  const { longContextAbove: above, longInputPrice: input, longOutputPrice: output } = endpoint;
  return {
    input: endpoint.inputPrice,
    output: endpoint.outputPrice,
    cachedInput: endpoint.cachedInputPrice,
    cacheWrite: endpoint.cacheWritePrice,
    cacheWrite1h: endpoint.cacheWrite1hPrice,
    request: endpoint.requestPrice,
    longContext:
      above === null || input === null || output === null
        ? null
        : {
            above,
            input,
            output,
            cachedInput: endpoint.longCachedInputPrice,
            cacheWrite: endpoint.longCacheWritePrice,
            cacheWrite1h: endpoint.longCacheWrite1hPrice,
          },
  };
}
