#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which the CLI would otherwise download from a host that is
// unreachable here. The Prisma CLI starts it through PRISMA_SCHEMA_ENGINE_BINARY (see scripts/prisma.mjs) and we
// answer with the WebAssembly build of the same engine (@prisma/schema-engine-wasm, version = prisma's engines hash)
// running on top of @prisma/adapter-pg. The CLI<->engine protocol is internal: re-test `migrate` after any upgrade.
// Debugging: JUNCTION_SCHEMA_ENGINE_TRACE=/tmp/engine.log logs RPC calls and shadow databases to that file.
import { appendFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import readline from "node:readline";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

const require = createRequire(import.meta.url);
const IDLE_MS = 1000; // short pool idle timeout; together with the explicit exits this avoids a ~10 s idle hang
const trace = (msg) =>
  process.env.JUNCTION_SCHEMA_ENGINE_TRACE &&
  appendFileSync(process.env.JUNCTION_SCHEMA_ENGINE_TRACE, `${process.pid} ${msg}\n`);
// A log line in the native engine's format; the CLI parses these from stderr.
const log = (level, fields) =>
  process.stderr.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: "schema_engine::logger" })}\n`,
  );
const withDb = (connUrl, db) =>
  Object.assign(new URL(connUrl), { pathname: `/${encodeURIComponent(db)}` }).toString();
const quote = (name) => `"${name.replaceAll('"', '""')}"`;
async function sql(connUrl, text) {
  const client = new pg.Client({ connectionString: connUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

// ---- arguments: [--datamodels <file>]... [--datasource <json>] [cli <command>] -------------------------------
const args = process.argv.slice(2);
if (args.includes("--version") || args.includes("-V")) {
  const pkg = new URL("package.json", import.meta.resolve("@prisma/schema-engine-wasm"));
  console.log(
    `schema-engine-cli ${JSON.parse(readFileSync(pkg, "utf8")).version.split(".").pop()} (wasm shim)`,
  );
  process.exit(0);
}
const datamodels = [];
let datasource = {};
let cliCommand;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--datamodels") datamodels.push(args[++i]);
  else if (args[i] === "--datasource") datasource = JSON.parse(args[++i]);
  else if (args[i] === "--enabled-preview-features" || args[i] === "--extension-types")
    i++; // unused by wasm
  else if (args[i] === "cli") cliCommand = args[++i];
}
const url = datasource.url;
const dbOf = (connUrl) => decodeURIComponent(new URL(connUrl).pathname.slice(1));

// ---- one-shot commands (`cli can-connect-to-database | create-database | drop-database`), plain pg ----------
if (cliCommand) {
  const { hostname, port } = new URL(url);
  const db = dbOf(url);
  const where = `${hostname}:${port || 5432}`;
  try {
    if (cliCommand === "can-connect-to-database") await sql(url, "SELECT 1");
    else if (cliCommand === "create-database")
      await sql(withDb(url, "postgres"), `CREATE DATABASE ${quote(db)}`);
    else if (cliCommand === "drop-database") await sql(withDb(url, "postgres"), `DROP DATABASE ${quote(db)}`);
    else throw new Error(`Unknown cli command: ${cliCommand}`);
    process.exit(0);
  } catch (e) {
    // The CLI skips the first stderr line, then looks for an ERROR line with fields.error_code; P1003 ("database
    // does not exist") is what makes `migrate dev` / `db push` create the database.
    const known = {
      "3D000": ["P1003", `Database \`${db}\` does not exist on the database server at \`${where}\`.`],
      "42P04": ["P1009", `Database \`${db}\` already exists on the database server at \`${where}\``],
      "28P01": ["P1000", `Authentication failed against database server at \`${where}\`.`],
      28000: ["P1000", `Authentication failed against database server at \`${where}\`.`],
      ECONNREFUSED: ["P1001", `Can't reach database server at \`${where}\``],
      ENOTFOUND: ["P1001", `Can't reach database server at \`${where}\``],
      ETIMEDOUT: ["P1001", `Can't reach database server at \`${where}\``],
    };
    const [error_code, message] = known[e.code] ?? [undefined, e.message];
    log("INFO", { message: `schema-engine shim: ${cliCommand}` });
    log("ERROR", { is_panic: false, error_code, message });
    process.exit(1);
  }
}

// ---- Workaround 1: adapter-pg cannot deserialize PostgreSQL's internal "char" type (OID 18), which the engine's
// introspection queries return. Relabel it as text (25), in this process only. Resolve pg relative to adapter-pg
// so we patch the very copy it uses (pnpm's strict layout may hold several).
const Result = createRequire(require.resolve("@prisma/adapter-pg"))("pg/lib/result");
const addFields = Result.prototype.addFields;
Result.prototype.addFields = function (fields) {
  for (const f of fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
  return addFields.call(this, fields);
};

// ---- Workaround 2: PrismaPg.connectToShadowDb() in 7.10.0 keeps the connectionString's database, so the "shadow"
// would be the real database. Use a temporary database instead, dropped on dispose (and on exit, whatever happens).
const schema = url ? (new URL(url).searchParams.get("schema") ?? undefined) : undefined; // like native `?schema=`
const shadows = new Map(); // temp database name -> its CREATE DATABASE promise
async function dropShadow(name) {
  await shadows.get(name)?.catch(() => {}); // an interrupted CREATE may still complete: wait for it, then drop
  shadows.delete(name);
  await sql(url, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`).then(
    () => trace(`dropped shadow ${name}`),
    (e) => trace(`could not drop shadow ${name}: ${e.message}`), // can't do more; name says what it is
  );
}
class SafePrismaPg extends PrismaPg {
  async connectToShadowDb() {
    let shadowUrl = datasource.shadowDatabaseUrl;
    let temp;
    if (shadowUrl) {
      // A configured shadow database (for roles without CREATEDB). The wasm engine does not reset it, so we do.
      const a = new URL(shadowUrl),
        b = new URL(url);
      if (a.host === b.host && dbOf(shadowUrl) === dbOf(url))
        throw new Error("shadowDatabaseUrl must not be the main database");
      await sql(
        shadowUrl,
        `DROP SCHEMA IF EXISTS ${quote(schema ?? "public")} CASCADE; CREATE SCHEMA ${quote(schema ?? "public")}`,
      );
    } else {
      temp = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "_")}`;
      trace(`creating shadow ${temp}`);
      shadows.set(temp, sql(url, `CREATE DATABASE ${quote(temp)}`));
      await shadows.get(temp);
      shadowUrl = withDb(url, temp);
    }
    const adapter = await new PrismaPg(
      { connectionString: shadowUrl, idleTimeoutMillis: IDLE_MS },
      { schema },
    ).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      if (temp) await dropShadow(temp);
    };
    const {
      rows: [{ db }],
    } = await adapter.underlyingDriver().query("SELECT current_database() AS db");
    trace(`shadow database ${db} (main: ${dbOf(url)})`);
    if (temp && db !== temp) {
      // belt and braces: a temporary shadow must really be the database we just created, never the real one
      await adapter.dispose();
      throw new Error(`Refusing to use the main database "${db}" as shadow database`);
    }
    return adapter;
  }
}

// ---- load the wasm engine (Node 20 cannot `import` .wasm files, so instantiate it by hand) --------------------
// The wasm build reports Rust panics through this global, then throws "unreachable" from inside a future; report
// that like the native engine would (ERROR line on stderr, exit 101) so the CLI shows the panic message.
let lastPanic;
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message) => {
    lastPanic = message;
  },
};
process.on("uncaughtException", (e) => {
  log("ERROR", { is_panic: Boolean(lastPanic), message: lastPanic ?? String(e?.stack ?? e) });
  shutdown(lastPanic ? 101 : 1);
});
const wasmPath = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm"));
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {
  "./schema_engine_bg.js": bg,
});
bg.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();

const factory = bindMigrationAwareSqlAdapterFactory(
  new SafePrismaPg({ connectionString: url, idleTimeoutMillis: IDLE_MS }, { schema }),
);
// Errors thrown in JS (adapter, our shadow code) reach us as "External error id#N"; put the real message back.
const explain = (message) =>
  message.replace(
    /External error id#(\d+)/g,
    (m, n) => factory.errorRegistry.consumeError(Number(n))?.error?.message ?? m,
  );
let engine;
try {
  engine = await bg.SchemaEngine.new(
    // `undefined`, not [], without --datamodels (e.g. `migrate diff`): an empty list makes the wasm engine panic
    {
      datamodels: datamodels.length
        ? datamodels.map((file) => [file, readFileSync(file, "utf8")])
        : undefined,
    },
    (line) => process.stderr.write(`${line}\n`), // engine logs are already JSON lines
    factory,
  );
} catch (e) {
  log("ERROR", { is_panic: false, message: explain(e?.message ?? String(e)) });
  process.exit(1);
}

// Workaround 3: evaluateDataLoss/createMigration take the migrations' schema from a cache that only
// diagnoseMigrationHistory fills via the shadow database; on a miss the wasm engine fails with "shadow DB must be
// provided through an external factory" (seen in `migrate dev` when the dev database was behind, e.g. a fresh
// database with existing migrations). The CLI has applied them by then, so diagnosing again fills the cache.
async function call(name, params) {
  try {
    return await engine[name](params);
  } catch (e) {
    if (!/shadow DB must be provided through an external factory/.test(e?.message) || !params?.migrationsList)
      throw e;
    trace(`${name}: schema cache miss, priming it with diagnoseMigrationHistory`);
    const { migrationsList, filters } = params;
    await engine.diagnoseMigrationHistory({ migrationsList, filters, optInToShadowDatabase: true });
    return await engine[name](params);
  }
}

// ---- newline-delimited JSON-RPC 2.0 on stdin/stdout --------------------------------------------------------------
const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...msg })}\n`);
const METHODS = new Set(
  `applyMigrations createMigration dbExecute devDiagnostic diagnoseMigrationHistory ensureConnectionValidity
   evaluateDataLoss introspect introspectSql markMigrationApplied markMigrationRolledBack reset schemaPush version
   debugPanic`.split(/\s+/),
);
let printId = 0;
async function handle({ id, method, params }) {
  trace(`rpc ${method}`);
  try {
    if (method === "diff") {
      // The native engine prints the diff by sending the CLI a `print` request (the CLI adds the newline); the
      // wasm engine returns it instead. Without this, `migrate diff` prints nothing.
      const { exitCode, stdout } = await engine.diff(params);
      if (stdout)
        send({ id: `print-${++printId}`, method: "print", params: { content: stdout.replace(/\n$/, "") } });
      return send({ id, result: { exitCode } });
    }
    const name = method === "getDatabaseVersion" ? "version" : method;
    if (!METHODS.has(name))
      return send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
    send({ id, result: (await call(name, params)) ?? null });
  } catch (e) {
    // The wasm engine's errors carry only a message (no Pxxxx code), already formatted for users.
    const message = explain(e?.message ?? String(e));
    send({
      id,
      error: {
        code: 4466,
        message: "An error happened. Check the data field for details.",
        data: { is_panic: false, message, meta: null, error_code: null },
      },
    });
  }
}

let queue = Promise.resolve(); // one request at a time, like the native engine
let exiting; // once: SIGINT, SIGTERM and stdin EOF can all arrive together
function shutdown(code) {
  exiting ??= Promise.allSettled([...shadows.keys()].map(dropShadow)).then(() => process.exit(code)); // no idle wait
  return exiting;
}
readline
  .createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on("line", (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (!msg.method) return; // the CLI's replies to our `print` requests
    queue = queue.then(() => handle(msg));
  })
  .on("close", () => queue.then(() => shutdown(0)));
process.on("SIGTERM", () => shutdown(0)); // the CLI kills the engine right after closing stdin
process.on("SIGINT", () => shutdown(130)); // Ctrl-C reaches the whole process group: still drop temp databases
