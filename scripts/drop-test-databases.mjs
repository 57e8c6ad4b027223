// Drops databases left by crashed test runs (junction_test_*, junction_tpl_*). CI only: locally, other test runs
// may be using them.
import pg from "pg";

const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/junction");
url.pathname = "/postgres";
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
const { rows } = await client.query(
  "SELECT datname FROM pg_database WHERE datname LIKE 'junction\\_test\\_%' OR datname LIKE 'junction\\_tpl\\_%'",
);
for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
await client.end();
if (rows.length) console.log(`dropped ${rows.length} leftover test databases`);
