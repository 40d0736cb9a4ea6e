// Producers in HTTP paths fail fast while Redis is down, and work again once it is back, without a
// restart of the web process.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "#app/lib/app-error.ts";
import { createQueueRegistry, createRedisConnection, type QueueRegistry } from "#app/lib/queue.server.ts";
import { freePort } from "#tests/setup/infra.ts";
import { obliterateAll, waitUntil } from "./helpers.ts";

let proxy: Server | undefined;
const sockets = new Set<Socket>();
let registry: QueueRegistry | undefined;

afterAll(async () => {
  if (registry) {
    await obliterateAll(registry);
    await registry.close();
  }
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
});

/** A TCP pass-through to the test Redis on `port`: "Redis comes back" without touching the real one. */
function startProxy(port: number, target: URL): Promise<void> {
  proxy = createServer((client) => {
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => proxy!.listen(port, "127.0.0.1", () => resolve()));
}

describe("producer", () => {
  it("fails fast while Redis is down and recovers when it is back", async () => {
    const port = await freePort();
    registry = createQueueRegistry({ connection: createRedisConnection("producer", `redis://127.0.0.1:${port}`), failFastMs: 500, ownsConnection: true });
    const data = { shopId: "shop1", trigger: "MANUAL" } as const;

    const started = Date.now();
    await expect(registry.enqueue("reorder", "run-reorder", data)).rejects.toMatchObject({ kind: "unavailable" });
    expect(Date.now() - started).toBeLessThan(3_000);

    await startProxy(port, new URL(process.env.REDIS_URL!));
    let id: string | undefined;
    await waitUntil(async () => {
      id = await registry!.enqueue("reorder", "run-reorder", data).catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        return undefined;
      });
      return id !== undefined;
    }, 15_000);
    expect(await (await registry.queue("reorder").getJob(id!))?.getState()).toBe("waiting");
  });
});
