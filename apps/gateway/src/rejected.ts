import type { ServerResponse } from "node:http";
import { newId, storableText } from "@junction/core";
import type { KeyPrincipal } from "./auth.js";
import type { GatewayContext } from "./context.js";
import type { GenerationRoute } from "./generation.js";
import { toJunctionError } from "./http.js";

/**
 * A request refused after authentication (bad body, unknown model, no credit) still leaves a generation record,
 * at no cost, so the tenant's request log shows it. The id goes back in x-junction-generation-id. It is ingested
 * like any failed request (a usage debit of 0, one more request and error in the rollups), so the overview's
 * counts, the rollups and reconciliation all agree with the request log.
 */
export async function recordRejected(
  context: GatewayContext,
  principal: KeyPrincipal,
  body: unknown,
  error: unknown,
  meta: { apiFormat: "openai" | "anthropic"; route: GenerationRoute },
  response: ServerResponse,
): Promise<void> {
  const junctionError = toJunctionError(error);
  const id = newId("generation");
  const model =
    typeof (body as { model?: unknown } | undefined)?.model === "string"
      ? (body as { model: string }).model
      : "";
  response.setHeader("x-junction-generation-id", id);
  const now = new Date();
  const written = await context.db.generation
    .create({
      data: {
        id,
        organizationId: principal.organizationId,
        apiKeyId: principal.keyId,
        requestedModel: storableText(model.slice(0, 200)),
        apiFormat: meta.apiFormat,
        route: meta.route,
        stream: (body as { stream?: unknown } | undefined)?.stream === true,
        status: "error",
        errorCode: junctionError.code,
        errorMessage: storableText(junctionError.message.slice(0, 1000)),
        httpStatus: junctionError.status,
        // Answered as soon as it arrived: one instant (the column default is the database's clock).
        createdAt: now,
        completedAt: now,
      },
    })
    .then(
      () => true,
      (writeError: unknown) => {
        context.log(`failed to record rejected request ${id}`, writeError);
        return false;
      },
    );
  // The refusal does not wait for Redis. A row whose job is lost is found again by the worker's sweep.
  if (written) {
    context.writer.track(
      context.producers
        .enqueue("usage", { generationIds: [id] }, id)
        .catch((error: unknown) => context.log(`usage enqueue failed for rejected request ${id}`, error)),
    );
  }
}
