export { keyRevocationChannel, publishKeyRevoked } from "./auth.js";
export { type RunningGateway, startGateway } from "./gateway.js";
