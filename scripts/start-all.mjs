// Runs gateway + dashboard + worker side by side, prefixes their output, waits until each answers its health
// check, prints the URLs, and stops all three on Ctrl-C. Ports: GATEWAY_PORT (4000), DASHBOARD_PORT (3000),
// WORKER_HEALTH_PORT (4100).
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const gatewayPort = process.env.GATEWAY_PORT ?? "4000";
const dashboardPort = process.env.DASHBOARD_PORT ?? "3000";
const workerPort = process.env.WORKER_HEALTH_PORT ?? "4100";
const gatewayUrl = process.env.GATEWAY_PUBLIC_URL ?? `http://localhost:${gatewayPort}`;
const dashboardUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${dashboardPort}`;
const env = {
  ...process.env,
  NODE_ENV: "production",
  GATEWAY_PORT: gatewayPort,
  GATEWAY_PUBLIC_URL: gatewayUrl,
  DASHBOARD_PORT: dashboardPort,
  WORKER_HEALTH_PORT: workerPort,
  GATEWAY_URL: process.env.GATEWAY_URL ?? gatewayUrl,
  NEXTAUTH_URL: dashboardUrl,
};

const apps = [
  {
    name: "gateway",
    color: 36,
    args: ["--filter", "@junction/gateway", "start"],
    health: `http://127.0.0.1:${gatewayPort}/health`,
  },
  {
    name: "worker",
    color: 35,
    args: ["--filter", "@junction/worker", "start"],
    health: `http://127.0.0.1:${workerPort}/health`,
  },
  {
    name: "dashboard",
    color: 33,
    args: ["--filter", "@junction/dashboard", "start"],
    health: `http://127.0.0.1:${dashboardPort}/api/health`,
  },
];

const children = apps.map((app) => {
  const child = spawn("pnpm", ["--silent", ...app.args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = `\x1b[${app.color}m[${app.name}]\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream.on("data", (data) => {
      const lines = (partial + data.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the others`);
      stop(1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

async function waitHealthy(url) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {}
    await sleep(500);
  }
  return false;
}

const healthy = await Promise.all(apps.map((app) => waitHealthy(app.health)));
if (healthy.every(Boolean)) {
  console.log(`
  Junction is running.
    Dashboard  ${dashboardUrl}        sign up, create an API key, watch costs
    Gateway    ${gatewayUrl}/v1       OpenAI base URL (Anthropic: ${gatewayUrl})
    Worker     http://localhost:${workerPort}/health
  Try:  pnpm junction org create "My Team" --credit 5   (prints an API key)
  Ctrl-C stops everything.
`);
} else {
  console.error("some apps did not become healthy; see their output above");
  stop(1);
}
